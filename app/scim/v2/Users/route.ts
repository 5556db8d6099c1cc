import { defineRoute } from "@/lib/edge/route";
import { baseUrl, readBody, scimJson, scimResource, scimRoute } from "@/lib/scim/http";
import { listResponse, project, readListQuery, readProjection } from "@/lib/scim/list";
import { USER_RESOURCE } from "@/lib/scim/schemas";
import { createUser } from "@/lib/scim/users/commands";
import { getUser, listUsers } from "@/lib/scim/users/queries";

/** RFC 7644 §3.4.2: Users matching `filter`, a page at a time (`startIndex`, `count`). */
export const GET = defineRoute(
  scimRoute({
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
  }),
);

/** RFC 7644 §3.3: a joiner. 201 with the User, its ETag and Location. */
export const POST = defineRoute(
  scimRoute({
    name: "people.join",
    async handler({ ctx, request }) {
      const { id } = await createUser(ctx, { body: await readBody(request) });
      const user = await getUser(ctx, { id: String(id), base: baseUrl(request) });
      return scimResource(project(user, readProjection(USER_RESOURCE, new URL(request.url).searchParams)), 201);
    },
  }),
);
