"use server";

import { recordStepUp } from "@/lib/auth";
import { beginStepUp, finishStepUp } from "@/lib/auth/passkeys";
import { emptyInput, finishAssertionInput } from "@/lib/auth/schemas";
import { defineAction } from "@/lib/edge/action";

// The step-up ceremony the console's dialog runs (components/step-up): options, then the verified assertion,
// recorded in the session so the retried action sees a passkey authentication from just now.

export const beginStepUpAction = defineAction({
  name: "auth.step_up_start",
  permission: "passkeys.manage",
  input: emptyInput,
  run: ({ ctx }) => beginStepUp(ctx),
});

export const finishStepUpAction = defineAction({
  name: "auth.step_up",
  permission: "passkeys.manage",
  input: finishAssertionInput,
  run: async ({ ctx, input }) => {
    const { grantId } = await finishStepUp(ctx, input);
    await recordStepUp(grantId);
    return { steppedUp: true };
  },
});
