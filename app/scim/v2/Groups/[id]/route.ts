import { z } from "zod";
import { defineRoute } from "@/lib/edge/route";
import { deleteGroup, patchGroup, replaceGroup } from "@/lib/scim/groups/commands";
import { getGroup, wantsMembers } from "@/lib/scim/groups/queries";
import { baseUrl, readBody, scimResource, scimRoute } from "@/lib/scim/http";
import { project, readProjection } from "@/lib/scim/list";
import { GROUP_RESOURCE } from "@/lib/scim/schemas";

const params = z.object({ id: z.string() });
const read = async (ctx: Parameters<typeof getGroup>[0], request: Request, id: string) => {
  const projection = readProjection(GROUP_RESOURCE, new URL(request.url).searchParams);
  return project(
    await getGroup(ctx, { id, base: baseUrl(request), withMembers: wantsMembers(projection) }),
    projection,
  );
};
const write = async (request: Request, id: string) => ({
  id,
  body: await readBody(request),
  ifMatch: request.headers.get("if-match"),
  base: baseUrl(request),
});

export const GET = defineRoute(
  scimRoute({
    name: "scim.group_read",
    params,
    handler: async ({ ctx, request, params }) => scimResource(await read(ctx, request, params.id)),
  }),
);

export const PUT = defineRoute(
  scimRoute({
    name: "scim.group_update",
    params,
    async handler({ ctx, request, params }) {
      await replaceGroup(ctx, await write(request, params.id));
      return scimResource(await read(ctx, request, params.id));
    },
  }),
);

/**
 * Membership changes answer 204 with the new ETag (RFC 7644 §3.5.2 allows it): echoing a group of 100,000 members
 * after adding one would cost more than the change.
 */
export const PATCH = defineRoute(
  scimRoute({
    name: "scim.group_update",
    params,
    async handler({ ctx, request, params }) {
      await patchGroup(ctx, await write(request, params.id));
      const group = await getGroup(ctx, { id: params.id, base: baseUrl(request), withMembers: false });
      return new Response(null, { status: 204, headers: { etag: (group.meta as { version: string }).version } });
    },
  }),
);

export const DELETE = defineRoute(
  scimRoute({
    name: "scim.group_delete",
    params,
    async handler({ ctx, request, params }) {
      await deleteGroup(ctx, { id: params.id, ifMatch: request.headers.get("if-match"), base: baseUrl(request) });
      return new Response(null, { status: 204 });
    },
  }),
);
