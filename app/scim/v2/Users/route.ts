import { defineRoute } from "@/lib/edge/route";
import { createUserEndpoint, listUsersEndpoint } from "@/lib/scim/users/endpoints";

// Users: list (filter, pages) and create — RFC 7644 §3.3, §3.4.2. Wiring only: the specs live in lib/scim.
export const GET = defineRoute(listUsersEndpoint);
export const POST = defineRoute(createUserEndpoint);
