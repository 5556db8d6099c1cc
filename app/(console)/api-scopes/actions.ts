"use server";

import { assignOwner, reduceScopes, revokeCredential, setExpiry } from "@/lib/api-scopes/commands";
import { editEndpoint, searchOwners } from "@/lib/api-scopes/endpoints";
import {
  assignOwnerInput,
  editEndpointInput,
  ownerSearchInput,
  reduceScopesInput,
  revokeInput,
  setExpiryInput,
} from "@/lib/api-scopes/schemas";
import { defineAction } from "@/lib/edge/action";

// Wiring only: each action names its permission and input; the lib service checks again and does the work.

export const revokeCredentialAction = defineAction({
  name: "api_scope.revoke",
  permission: "api_scopes.manage",
  input: revokeInput,
  run: ({ ctx, input }) => revokeCredential(ctx, input),
});

export const reduceScopesAction = defineAction({
  name: "api_scope.reduce_scopes",
  permission: "api_scopes.manage",
  input: reduceScopesInput,
  run: ({ ctx, input }) => reduceScopes(ctx, input),
});

export const assignOwnerAction = defineAction({
  name: "api_scope.assign_owner",
  permission: "api_scopes.manage",
  input: assignOwnerInput,
  run: ({ ctx, input }) => assignOwner(ctx, input),
});

export const setExpiryAction = defineAction({
  name: "api_scope.set_expiry",
  permission: "api_scopes.manage",
  input: setExpiryInput,
  run: ({ ctx, input }) => setExpiry(ctx, input),
});

export const searchOwnersAction = defineAction({
  name: "api_scope.search_owners",
  permission: "api_scopes.manage",
  input: ownerSearchInput,
  run: ({ ctx, input }) => searchOwners(ctx, input.q),
});

export const editEndpointAction = defineAction({
  name: "api_scope.edit_endpoint",
  permission: "api_scopes.manage",
  input: editEndpointInput,
  run: ({ ctx, input }) => editEndpoint(ctx, input),
});
