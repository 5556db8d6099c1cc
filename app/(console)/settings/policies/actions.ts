"use server";

import { STEP_UP } from "@/lib/authz";
import { defineAction } from "@/lib/edge/action";
import { policiesInput, updatePolicies } from "@/lib/policies/policies";

// Wiring only: the lib service checks policies.manage again and audits each changed value.

export const updatePoliciesAction = defineAction({
  name: "settings.update",
  permission: "policies.manage",
  assurance: STEP_UP,
  input: policiesInput,
  run: ({ ctx, input }) => updatePolicies(ctx, input),
});
