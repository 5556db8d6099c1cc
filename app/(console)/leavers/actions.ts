"use server";

import { defineAction } from "@/lib/edge/action";
import { assignCases, closeCase, executeCases } from "@/lib/leavers/commands";
import { checkDriftNow } from "@/lib/leavers/drift";
import { openCases, SKIP_REASONS } from "@/lib/leavers/open-cases";
import { assignInput, caseInput, executeInput, startOffboardingInput } from "@/lib/leavers/schemas";

// Wiring only: each action names its permission and input; the lib service checks again and does the work.

export const assignCasesAction = defineAction({
  name: "leaver.assign",
  permission: "leavers.manage",
  input: assignInput,
  run: ({ ctx, input }) => assignCases(ctx, input),
});

export const executeCasesAction = defineAction({
  name: "remediation.queue",
  permission: "remediation.manage",
  input: executeInput,
  run: ({ ctx, input }) => executeCases(ctx, input),
});

export const closeCaseAction = defineAction({
  name: "leaver.close",
  permission: "leavers.manage",
  input: caseInput,
  run: ({ ctx, input }) => closeCase(ctx, input),
});

export const checkDriftAction = defineAction({
  name: "leaver.drift_check",
  permission: "leavers.manage",
  input: caseInput,
  run: ({ ctx, input }) => checkDriftNow(ctx, input),
});

export const startOffboardingAction = defineAction({
  name: "leaver.open",
  permission: "leavers.manage",
  input: startOffboardingInput,
  run: async ({ ctx, input }) => {
    const result = await openCases(ctx, {
      leavers: [
        {
          identityId: input.identityId,
          reason: input.reason,
          // Omitted: the reason's default (a voluntary leaver at the end of their last day, others now).
          effectiveAt: input.effectiveAt,
          lastDay: input.lastDay ?? null,
        },
      ],
      assigneeId: ctx.actor.id,
    });
    const skipped = result.skipped[0];
    if (skipped) {
      return { caseId: null, message: `This identity ${SKIP_REASONS[skipped.reason]}.` };
    }
    return { caseId: result.opened[0].caseId, message: null };
  },
});
