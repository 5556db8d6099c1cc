"use server";

import {
  assignOwner,
  reduceScopes,
  registerHandle,
  revokeCredential,
  rotateClientSecret,
  setExpiry,
} from "@/lib/api-scopes/commands";
import { editEndpoint, searchOwners } from "@/lib/api-scopes/endpoints";
import {
  assignOwnerInput,
  credentialIdInput,
  editEndpointInput,
  ownerSearchInput,
  reduceScopesInput,
  registerHandleInput,
  revokeInput,
  setExpiryInput,
} from "@/lib/api-scopes/schemas";
import { STEP_UP } from "@/lib/authz";
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

// A credential's secret material (its revocation handle, an OAuth client's secret): admins only, after a fresh
// passkey step-up, as for connecting a system — both decide what secret Lockstep sends where.
export const registerHandleAction = defineAction({
  name: "api_scope.register_handle",
  permission: "api_scopes.handles",
  assurance: STEP_UP,
  input: registerHandleInput,
  run: ({ ctx, input }) => registerHandle(ctx, input),
});

export const rotateClientSecretAction = defineAction({
  name: "api_scope.rotate_secret",
  permission: "api_scopes.handles",
  assurance: STEP_UP,
  input: credentialIdInput,
  run: ({ ctx, input }) => rotateClientSecret(ctx, input),
});
