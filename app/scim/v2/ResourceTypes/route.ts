import { defineRoute } from "@/lib/edge/route";
import { RESOURCES, resourceTypeDoc } from "@/lib/scim/discovery";
import { baseUrl, scimJson, scimRoute } from "@/lib/scim/http";
import { listResponse } from "@/lib/scim/list";

export const GET = defineRoute(
  scimRoute({
    name: "scim.discovery",
    handler: async ({ request }) =>
      scimJson(
        listResponse(
          RESOURCES.map((r) => resourceTypeDoc(r, baseUrl(request))),
          RESOURCES.length,
          1,
        ),
      ),
  }),
);
