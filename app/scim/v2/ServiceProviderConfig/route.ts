import { defineRoute } from "@/lib/edge/route";
import { serviceProviderConfigEndpoint } from "@/lib/scim/discovery-endpoints";

// RFC 7644 §4: what this service provider supports. Wiring only: the specs live in lib/scim.
export const GET = defineRoute(serviceProviderConfigEndpoint);
