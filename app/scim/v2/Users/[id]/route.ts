import { defineRoute } from "@/lib/edge/route";
import {
  deleteUserEndpoint,
  getUserEndpoint,
  patchUserEndpoint,
  replaceUserEndpoint,
} from "@/lib/scim/users/endpoints";

// A User: read, replace, patch, delete — RFC 7644 §3.4.1, §3.5, §3.6. Wiring only: the specs live in lib/scim.
export const GET = defineRoute(getUserEndpoint);
export const PUT = defineRoute(replaceUserEndpoint);
export const PATCH = defineRoute(patchUserEndpoint);
export const DELETE = defineRoute(deleteUserEndpoint);
