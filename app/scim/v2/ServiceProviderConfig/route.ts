import { defineRoute } from "@/lib/edge/route";
import { serviceProviderConfig } from "@/lib/scim/discovery";
import { baseUrl, scimJson, scimRoute } from "@/lib/scim/http";

export const GET = defineRoute(
  scimRoute({
    name: "scim.discovery",
    handler: async ({ request }) => scimJson(serviceProviderConfig(baseUrl(request))),
  }),
);
