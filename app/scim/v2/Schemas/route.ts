import { defineRoute } from "@/lib/edge/route";
import { schemasEndpoint } from "@/lib/scim/discovery-endpoints";

// RFC 7644 §4: the schemas. Wiring only: the specs live in lib/scim.
export const GET = defineRoute(schemasEndpoint);
