import { z } from "zod";
import { defineRoute } from "@/lib/edge/route";
import { notModified } from "@/lib/scim/etag";
import { baseUrl, readBody, scimResource, scimRoute } from "@/lib/scim/http";
import { project, readProjection } from "@/lib/scim/list";
import { USER_RESOURCE } from "@/lib/scim/schemas";
import { deleteUser, patchUser, replaceUser } from "@/lib/scim/users/commands";
import { getUser } from "@/lib/scim/users/queries";

const params = z.object({ id: z.string() });
const read = async (ctx: Parameters<typeof getUser>[0], request: Request, id: string) =>
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

export const GET = defineRoute(
  scimRoute({
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
  }),
);

/** RFC 7644 §3.5.1: the whole User replaced; `If-Match` checked (412). */
export const PUT = defineRoute(
  scimRoute({
    name: "people.update",
    params,
    async handler({ ctx, request, params }) {
      await replaceUser(ctx, await write(request, params.id));
      return scimResource(await read(ctx, request, params.id));
    },
  }),
);

/** RFC 7644 §3.5.2: add, replace, remove — in Entra's and Okta's styles too (lib/scim/patch.ts). */
export const PATCH = defineRoute(
  scimRoute({
    name: "people.update",
    params,
    async handler({ ctx, request, params }) {
      await patchUser(ctx, await write(request, params.id));
      return scimResource(await read(ctx, request, params.id));
    },
  }),
);

/** RFC 7644 §3.6: the User is gone for SCIM (404 from now on); the person becomes a leaver. */
export const DELETE = defineRoute(
  scimRoute({
    name: "scim.user_delete",
    params,
    async handler({ ctx, request, params }) {
      await deleteUser(ctx, { id: params.id, ifMatch: request.headers.get("if-match"), base: baseUrl(request) });
      return new Response(null, { status: 204 });
    },
  }),
);
