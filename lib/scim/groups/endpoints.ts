import "server-only";
import { z } from "zod";
import type { Ctx } from "@/lib/context";
import { baseUrl, readBody, scimJson, scimResource, scimRoute } from "../http";
import { listResponse, project, readListQuery, readProjection } from "../list";
import { GROUP_RESOURCE } from "../schemas";
import { createGroup, deleteGroup, patchGroup, replaceGroup } from "./commands";
import { getGroup, listGroups, wantsMembers } from "./queries";

/** The /Groups and /Groups/{id} endpoints as route specs (app/scim/v2 wires them with defineRoute). */
const params = z.object({ id: z.string() });

const read = async (ctx: Ctx, request: Request, id: string) => {
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

export const listGroupsEndpoint = scimRoute({
  name: "scim.group_read",
  async handler({ ctx, request }) {
    const query = readListQuery(GROUP_RESOURCE, new URL(request.url).searchParams);
    const { resources, total } = await listGroups(ctx, {
      query,
      base: baseUrl(request),
      withMembers: wantsMembers(query),
    });
    return scimJson(
      listResponse(
        resources.map((r) => project(r, query)),
        total,
        query.startIndex,
      ),
    );
  },
});

export const createGroupEndpoint = scimRoute({
  name: "scim.group_create",
  async handler({ ctx, request }) {
    const { id } = await createGroup(ctx, { body: await readBody(request) });
    return scimResource(await read(ctx, request, String(id)), 201);
  },
});

export const getGroupEndpoint = scimRoute({
  name: "scim.group_read",
  params,
  handler: async ({ ctx, request, params }) => scimResource(await read(ctx, request, params.id)),
});

export const replaceGroupEndpoint = scimRoute({
  name: "scim.group_update",
  params,
  async handler({ ctx, request, params }) {
    await replaceGroup(ctx, await write(request, params.id));
    return scimResource(await read(ctx, request, params.id));
  },
});

/**
 * Membership changes answer 204 with the new ETag (RFC 7644 §3.5.2 allows it): echoing a group of 100,000 members
 * after adding one would cost more than the change.
 */
export const patchGroupEndpoint = scimRoute({
  name: "scim.group_update",
  params,
  async handler({ ctx, request, params }) {
    await patchGroup(ctx, await write(request, params.id));
    const group = await getGroup(ctx, { id: params.id, base: baseUrl(request), withMembers: false });
    return new Response(null, { status: 204, headers: { etag: (group.meta as { version: string }).version } });
  },
});

export const deleteGroupEndpoint = scimRoute({
  name: "scim.group_delete",
  params,
  async handler({ ctx, request, params }) {
    await deleteGroup(ctx, { id: params.id, ifMatch: request.headers.get("if-match"), base: baseUrl(request) });
    return new Response(null, { status: 204 });
  },
});
