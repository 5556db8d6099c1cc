"use server";

import { STEP_UP } from "@/lib/authz";
import { defineAction } from "@/lib/edge/action";
import { createSystem, testConnection, updateSystem } from "@/lib/systems/commands";
import { ownerSearchInput, searchSystemOwners } from "@/lib/systems/queries";
import { createSystemInput, systemIdInput, updateSystemInput } from "@/lib/systems/schemas";

// Wiring only: the lib services check systems.manage again and audit. Connecting or changing a system decides where
// Lockstep sends a secret, so both need a fresh passkey step-up; a test calls what is already saved.

export const createSystemAction = defineAction({
  name: "system.create",
  permission: "systems.manage",
  assurance: STEP_UP,
  input: createSystemInput,
  run: ({ ctx, input }) => createSystem(ctx, input),
});

export const updateSystemAction = defineAction({
  name: "system.update",
  permission: "systems.manage",
  assurance: STEP_UP,
  input: updateSystemInput,
  run: ({ ctx, input }) => updateSystem(ctx, input),
});

export const testConnectionAction = defineAction({
  name: "system.test_connection",
  permission: "systems.manage",
  input: systemIdInput,
  run: ({ ctx, input }) => testConnection(ctx, input),
});

export const searchSystemOwnersAction = defineAction({
  name: "system.search_owners",
  permission: "systems.manage",
  input: ownerSearchInput,
  run: ({ ctx, input }) => searchSystemOwners(ctx, input.q),
});
