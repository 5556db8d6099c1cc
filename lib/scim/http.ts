import "server-only";
import type { z } from "zod";
import type { Ctx } from "@/lib/context";
import type { RouteSpec } from "@/lib/edge/core";
import type { EventName } from "@/lib/events/catalog";
import { SCIM_CONTENT_TYPE, ScimError, scimErrorResponse } from "./errors";
import { takeToken } from "./rate-limit";
import type { Doc } from "./resource";

/**
 * The route spec of every /scim/v2 endpoint, for `defineRoute`: machine clients holding `scim.provision` (a
 * provisioning token, lib/edge/machine.ts), errors as SCIM error bodies, and the client's rate limit taken
 * before anything else runs. Handlers read their body with `readBody` (so a malformed one is SCIM's 400
 * `invalidSyntax`, not the edge's JSON error).
 */
export function scimRoute<P extends z.ZodType | undefined = undefined>(spec: {
  name: EventName;
  params?: P;
  handler: (args: {
    ctx: Ctx;
    request: Request;
    params: P extends z.ZodType ? z.output<P> : undefined;
  }) => Promise<Response>;
}): RouteSpec<undefined, P, undefined> {
  return {
    name: spec.name,
    permission: "scim.provision",
    actors: "machine",
    rateLimit: "scim",
    params: spec.params,
    errors: scimErrorResponse,
    handler: async ({ ctx, request, params }) => {
      if (ctx.actor.kind === "machine") takeToken(ctx.actor.clientId);
      return spec.handler({ ctx, request, params });
    },
  } as RouteSpec<undefined, P, undefined>;
}

/** Bodies larger than this are refused (413): a User or a PatchOp is a few kilobytes. */
const MAX_BODY_BYTES = 1_000_000;

/** The request's JSON body (whatever content type the client set), or a 400 `invalidSyntax`. */
export async function readBody(request: Request): Promise<unknown> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw tooLarge();
  if (text.trim() === "") throw new ScimError(400, "invalidSyntax", "The request has no body.");
  try {
    return JSON.parse(text);
  } catch {
    throw new ScimError(400, "invalidSyntax", "The request body is not valid JSON.");
  }
}

const tooLarge = () => new ScimError(413, null, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);

/** The base URL resources are located under (`meta.location`): this server's /scim/v2. */
export const baseUrl = (request: Request) => `${new URL(request.url).origin}/scim/v2`;

/** A resource in the answer, its ETag and (when created) its Location taken from its `meta`. */
export function scimResource(doc: Doc, status = 200): Response {
  const meta = doc.meta as { version?: string; location?: string } | undefined;
  return scimJson(doc, { status, etag: meta?.version, location: status === 201 ? meta?.location : undefined });
}

export function scimJson(body: unknown, init: { status?: number; etag?: string; location?: string } = {}): Response {
  const headers: Record<string, string> = { "content-type": SCIM_CONTENT_TYPE, "cache-control": "no-store" };
  if (init.etag) headers.etag = init.etag;
  if (init.location) headers.location = init.location;
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}
