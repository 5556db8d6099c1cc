import { defineRoute } from "@/lib/edge/route";
import { SCHEMAS, schemaDoc } from "@/lib/scim/discovery";
import { baseUrl, scimJson, scimRoute } from "@/lib/scim/http";
import { listResponse } from "@/lib/scim/list";

export const GET = defineRoute(
  scimRoute({
    name: "scim.discovery",
    handler: async ({ request }) =>
      scimJson(
        listResponse(
          SCHEMAS.map((s) => schemaDoc(s, baseUrl(request))),
          SCHEMAS.length,
          1,
        ),
      ),
  }),
);
