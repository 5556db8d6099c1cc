import "server-only";
import type { z } from "zod";
import { currentActor } from "@/lib/session";
import { type EdgeMeta, metaOf, type RouteSpec, runRoute } from "./core";

type Schema = z.ZodType | undefined;

/** `meta` names the permission; `spec` lets tests drive the handler through `runRoute` with any actor. */
export type RouteHandler<Q extends Schema, P extends Schema, B extends Schema> = ((
  request: Request,
  context: { params: Promise<unknown> },
) => Promise<Response>) & { meta: EdgeMeta; spec: RouteSpec<Q, P, B> };

/**
 * The one way to write a route handler: `defineRoute({ name, permission, query?, params?, body?, handler })`.
 * Session (or, with `actors: "machine"`, the bearer token), permission, assurance, then the zod schemas;
 * failures answer JSON `{ ok: false, code, message }` with the matching status.
 */
export function defineRoute<Q extends Schema = undefined, P extends Schema = undefined, B extends Schema = undefined>(
  spec: RouteSpec<Q, P, B>,
): RouteHandler<Q, P, B> {
  const handler = async (request: Request, context: { params: Promise<unknown> }) =>
    // A machine route reads no session: a browser's cookie must never stand in for a client's token.
    runRoute(spec, spec.actors === "machine" ? null : await currentActor(), request, context);
  return Object.assign(handler, { meta: metaOf(spec), spec });
}
