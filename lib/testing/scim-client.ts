import * as group from "@/app/scim/v2/Groups/[id]/route";
import * as groups from "@/app/scim/v2/Groups/route";
import * as resourceType from "@/app/scim/v2/ResourceTypes/[id]/route";
import * as resourceTypes from "@/app/scim/v2/ResourceTypes/route";
import * as schema from "@/app/scim/v2/Schemas/[id]/route";
import * as schemas from "@/app/scim/v2/Schemas/route";
import * as config from "@/app/scim/v2/ServiceProviderConfig/route";
import * as user from "@/app/scim/v2/Users/[id]/route";
import * as users from "@/app/scim/v2/Users/route";
import type { Db } from "@/db/client";
import { SYSTEM_ACTOR } from "@/lib/authz";
import { makeCtx } from "@/lib/context";
import { createProvisioningToken } from "@/lib/scim/tokens";

/**
 * A SCIM client for tests: requests to /scim/v2 go to the exported route handlers (the real edge: bearer token
 * looked up in the database, rate limit, SCIM error bodies), as Okta's or Entra's provisioning would send them.
 */
type Handler = (request: Request, context: { params: Promise<unknown> }) => Promise<Response>;
type Module = Partial<Record<string, Handler>>;

const ROUTES: [RegExp, Module][] = [
  [/^\/Users$/, users],
  [/^\/Users\/([^/]+)$/, user],
  [/^\/Groups$/, groups],
  [/^\/Groups\/([^/]+)$/, group],
  [/^\/ServiceProviderConfig$/, config],
  [/^\/ResourceTypes$/, resourceTypes],
  [/^\/ResourceTypes\/([^/]+)$/, resourceType],
  [/^\/Schemas$/, schemas],
  [/^\/Schemas\/([^/]+)$/, schema],
];

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary SCIM JSON answers, field by field.
export type ScimAnswer = { status: number; headers: Headers; body: Record<string, any> | null };
export type ScimCall = (
  method: string,
  path: string,
  opts?: { body?: unknown; headers?: Record<string, string> },
) => Promise<ScimAnswer>;

export function scimClient(token: string | null): ScimCall {
  return async (method, path, opts = {}) => {
    const url = new URL(`http://localhost/scim/v2${path}`);
    const found = ROUTES.map(([re, mod]) => [re.exec(url.pathname.slice("/scim/v2".length)), mod] as const).find(
      ([m]) => m,
    );
    if (!found) throw new Error(`no SCIM route for ${path}`);
    const [match, mod] = found;
    const handler = mod[method];
    if (!handler) throw new Error(`no ${method} on ${path}`);
    const body =
      opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    const request = new Request(url, {
      method,
      headers: {
        "content-type": "application/scim+json; charset=utf-8",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...opts.headers,
      },
      body,
    });
    const params = match?.[1] !== undefined ? { id: decodeURIComponent(match[1]) } : {};
    const res = await handler(request, { params: Promise.resolve(params) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
}

/** A provisioning client with a fresh token, committed (route handlers read it outside any test transaction). */
export async function provisioningToken(db: Db, name: string): Promise<{ id: number; token: string }> {
  const { id, token } = await createProvisioningToken(makeCtx(SYSTEM_ACTOR, db, new Date()), { name });
  return { id, token };
}

/** `?filter=…` with the expression encoded. */
export const filterQuery = (filter: string, more = "") => `?filter=${encodeURIComponent(filter)}${more}`;
