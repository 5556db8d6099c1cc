import { defineRoute } from "@/lib/edge/route";
import { resourceTypesEndpoint } from "@/lib/scim/discovery-endpoints";

// RFC 7644 §4: the resource types. Wiring only: the specs live in lib/scim.
export const GET = defineRoute(resourceTypesEndpoint);
