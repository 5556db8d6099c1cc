import { defineRoute } from "@/lib/edge/route";
import { createGroupEndpoint, listGroupsEndpoint } from "@/lib/scim/groups/endpoints";

// Groups: list and create. Wiring only: the specs live in lib/scim.
export const GET = defineRoute(listGroupsEndpoint);
export const POST = defineRoute(createGroupEndpoint);
