import { defineRoute } from "@/lib/edge/route";
import {
  deleteGroupEndpoint,
  getGroupEndpoint,
  patchGroupEndpoint,
  replaceGroupEndpoint,
} from "@/lib/scim/groups/endpoints";

// A Group: read, replace, patch (members one by one), delete. Wiring only: the specs live in lib/scim.
export const GET = defineRoute(getGroupEndpoint);
export const PUT = defineRoute(replaceGroupEndpoint);
export const PATCH = defineRoute(patchGroupEndpoint);
export const DELETE = defineRoute(deleteGroupEndpoint);
