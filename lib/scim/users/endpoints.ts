import "server-only";
import { z } from "zod";
import type { Ctx } from "@/lib/context";
import { notModified } from "../etag";
import { baseUrl, readBody, scimJson, scimResource, scimRoute } from "../http";
import { listResponse, project, readListQuery, readProjection } from "../list";
import { USER_RESOURCE } from "../schemas";
import { createUser, deleteUser, patchUser, replaceUser } from "./commands";
import { getUser, listUsers } from "./queries";

/**
 * The /Users and /Users/{id} endpoints as route specs (app/scim/v2 wires them with defineRoute), so tests and the
 * bench drive the same handlers through `runRoute` without Next.js.
 */
const params = z.object({ id: z.string() });

const read = async (ctx: Ctx, request: Request, id: string) =>
  project(
    await getUser(ctx, { id, base: baseUrl(request) }),
    readProjection(USER_RESOURCE, new URL(request.url).searchParams),
  );

const write = async (request: Request, id: string) => ({
  id,
  body: await readBody(request),
  ifMatch: request.headers.get("if-match"),
  base: baseUrl(request),
});

/** RFC 7644 §3.4.2: Users matching `filter`, a page at a time (`startIndex`, `count`). */
export const listUsersEndpoint = scimRoute({
  name: "scim.user_read",
  async handler({ ctx, request }) {
    const query = readListQuery(USER_RESOURCE, new URL(request.url).searchParams);
    const { resources, total } = await listUsers(ctx, { query, base: baseUrl(request) });
    return scimJson(
      listResponse(
        resources.map((r) => project(r, query)),
        total,
        query.startIndex,
      ),
    );
  },
});

/** RFC 7644 §3.3: a joiner. 201 with the User, its ETag and Location. */
export const createUserEndpoint = scimRoute({
  name: "people.join",
  async handler({ ctx, request }) {
    const { id } = await createUser(ctx, { body: await readBody(request) });
    return scimResource(await read(ctx, request, String(id)), 201);
  },
});

export const getUserEndpoint = scimRoute({
  name: "scim.user_read",
  params,
  async handler({ ctx, request, params }) {
    const user = await read(ctx, request, params.id);
    const version = (user.meta as { version: string }).version;
    if (notModified(request.headers.get("if-none-match"), version)) {
      return new Response(null, { status: 304, headers: { etag: version } });
    }
    return scimResource(user);
  },
});

/** RFC 7644 §3.5.1: the whole User replaced; `If-Match` checked (412). */
export const replaceUserEndpoint = scimRoute({
  name: "people.update",
  params,
  async handler({ ctx, request, params }) {
    await replaceUser(ctx, await write(request, params.id));
    return scimResource(await read(ctx, request, params.id));
  },
});

/** RFC 7644 §3.5.2: add, replace, remove — in Entra's and Okta's styles too (lib/scim/patch.ts). */
export const patchUserEndpoint = scimRoute({
  name: "people.update",
  params,
  async handler({ ctx, request, params }) {
    await patchUser(ctx, await write(request, params.id));
    return scimResource(await read(ctx, request, params.id));
  },
});

/** RFC 7644 §3.6: the User is gone for SCIM (404 from now on); the person becomes a leaver. */
export const deleteUserEndpoint = scimRoute({
  name: "scim.user_delete",
  params,
  async handler({ ctx, request, params }) {
    await deleteUser(ctx, { id: params.id, ifMatch: request.headers.get("if-match"), base: baseUrl(request) });
    return new Response(null, { status: 204 });
  },
});
