"use server";

import { defineAction } from "@/lib/edge/action";
import {
  createProvisioningToken,
  createTokenInput,
  revokeProvisioningToken,
  revokeTokenInput,
} from "@/lib/scim/tokens";

// Wiring only: the lib service checks systems.manage again, audits, and returns the token this once.

export const createProvisioningTokenAction = defineAction({
  name: "scim.token_create",
  permission: "systems.manage",
  input: createTokenInput,
  run: ({ ctx, input }) => createProvisioningToken(ctx, input),
});

export const revokeProvisioningTokenAction = defineAction({
  name: "scim.token_revoke",
  permission: "systems.manage",
  input: revokeTokenInput,
  run: ({ ctx, input }) => revokeProvisioningToken(ctx, input),
});
