import "server-only";
import { currentActor } from "@/lib/session";
import { type RouteSpec, runRoute } from "./route-core";

/** `meta` names the permission; `spec` lets tests drive the handler through `runRoute` with any actor. */
export type RouteHandler<P> = ((request: Request, context: { params: Promise<P> }) => Promise<Response>) & {
  meta: { name: string; permission: RouteSpec<P>["permission"] };
  spec: RouteSpec<P>;
};

/** The one way to write a route handler: session, permission, errors as JSON with the right status. */
export function defineRoute<P = Record<string, string>>(spec: RouteSpec<P>): RouteHandler<P> {
  const handler = async (request: Request, context: { params: Promise<P> }) =>
    runRoute(spec, await currentActor(), request, context);
  return Object.assign(handler, { meta: { name: spec.name, permission: spec.permission }, spec });
}
