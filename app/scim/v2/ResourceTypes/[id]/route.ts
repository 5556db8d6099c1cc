import { defineRoute } from "@/lib/edge/route";
import { resourceTypeEndpoint } from "@/lib/scim/discovery-endpoints";

// RFC 7644 §4: one resource type. Wiring only: the specs live in lib/scim.
export const GET = defineRoute(resourceTypeEndpoint);
