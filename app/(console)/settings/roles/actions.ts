"use server";

import { STEP_UP } from "@/lib/authz";
import { grantConsoleRole, removeConsoleRole, roleChangeInput } from "@/lib/console-roles/commands";
import { candidateSearchInput, searchRoleCandidates } from "@/lib/console-roles/queries";
import { defineAction } from "@/lib/edge/action";

// Wiring only: the lib services check roles.manage again, audit, and (removal) end the person's sessions.

export const grantConsoleRoleAction = defineAction({
  name: "console_role.grant",
  permission: "roles.manage",
  assurance: STEP_UP,
  input: roleChangeInput,
  run: ({ ctx, input }) => grantConsoleRole(ctx, input),
});

export const removeConsoleRoleAction = defineAction({
  name: "console_role.remove",
  permission: "roles.manage",
  assurance: STEP_UP,
  input: roleChangeInput,
  run: ({ ctx, input }) => removeConsoleRole(ctx, input),
});

export const searchRoleCandidatesAction = defineAction({
  name: "console_role.search",
  permission: "roles.manage",
  input: candidateSearchInput,
  run: ({ ctx, input }) => searchRoleCandidates(ctx, input.q),
});
