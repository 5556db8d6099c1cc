import { defineRoute } from "@/lib/edge/route";
import { schemaEndpoint } from "@/lib/scim/discovery-endpoints";

// RFC 7644 §4: one schema. Wiring only: the specs live in lib/scim.
export const GET = defineRoute(schemaEndpoint);
