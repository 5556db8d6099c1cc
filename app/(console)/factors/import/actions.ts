"use server";

import { STEP_UP } from "@/lib/authz";
import { defineAction } from "@/lib/edge/action";
import { liftSettingsInput, updateLiftSettings } from "@/lib/factors/lift-settings";

// Lifting an ambiguous vendor method changes what people's factors count as: a policy, with a fresh passkey.
export const updateLiftSettingsAction = defineAction({
  name: "settings.update",
  permission: "policies.manage",
  assurance: STEP_UP,
  input: liftSettingsInput,
  run: ({ ctx, input }) => updateLiftSettings(ctx, input),
});
