import { defineRoute } from "@/lib/edge/route";
import { createGroup } from "@/lib/scim/groups/commands";
import { getGroup, listGroups, wantsMembers } from "@/lib/scim/groups/queries";
import { baseUrl, readBody, scimJson, scimResource, scimRoute } from "@/lib/scim/http";
import { listResponse, project, readListQuery, readProjection } from "@/lib/scim/list";
import { GROUP_RESOURCE } from "@/lib/scim/schemas";

export const GET = defineRoute(
  scimRoute({
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
  }),
);

export const POST = defineRoute(
  scimRoute({
    name: "scim.group_create",
    async handler({ ctx, request }) {
      const { id } = await createGroup(ctx, { body: await readBody(request) });
      const projection = readProjection(GROUP_RESOURCE, new URL(request.url).searchParams);
      const group = await getGroup(ctx, {
        id: String(id),
        base: baseUrl(request),
        withMembers: wantsMembers(projection),
      });
      return scimResource(project(group, projection), 201);
    },
  }),
);
