"use server";

import { z } from "zod";
import { defineAction } from "@/lib/action";
import { searchOwners } from "@/lib/leavers/case-detail";
import {
  assignCases,
  closeCase,
  confirmManually,
  executeTasks,
  handoverNhi,
  retryTask,
  verifyTask,
  waiveTask,
} from "@/lib/leavers/commands";
import { checkDriftNow } from "@/lib/leavers/drift";
import { openCases } from "@/lib/leavers/open-cases";
import {
  assignInput,
  caseInput,
  confirmInput,
  executeInput,
  handoverInput,
  startOffboardingInput,
  taskInput,
  waiveInput,
} from "@/lib/leavers/schemas";

// Wiring only: each action names its permission and input; the lib service checks again and does the work.

export const assignCasesAction = defineAction({
  name: "leaver.assign",
  permission: "leavers.manage",
  input: assignInput,
  run: ({ ctx, input }) => assignCases(ctx, input),
});

export const executeTasksAction = defineAction({
  name: "leaver.execute",
  permission: "leavers.manage",
  input: executeInput,
  run: ({ ctx, input }) => executeTasks(ctx, input),
});

export const retryTaskAction = defineAction({
  name: "leaver.retry",
  permission: "leavers.manage",
  input: taskInput,
  run: ({ ctx, input }) => retryTask(ctx, input),
});

export const verifyTaskAction = defineAction({
  name: "leaver.verify",
  permission: "leavers.manage",
  input: taskInput,
  run: ({ ctx, input }) => verifyTask(ctx, input),
});

export const confirmTaskAction = defineAction({
  name: "leaver.confirm",
  permission: "leavers.manage",
  input: confirmInput,
  run: ({ ctx, input }) => confirmManually(ctx, input),
});

export const waiveTaskAction = defineAction({
  name: "leaver.waive",
  permission: "leavers.waive",
  input: waiveInput,
  run: ({ ctx, input }) => waiveTask(ctx, input),
});

export const handoverAction = defineAction({
  name: "leaver.handover",
  permission: "leavers.handover",
  input: handoverInput,
  run: ({ ctx, input }) => handoverNhi(ctx, input),
});

export const searchOwnersAction = defineAction({
  name: "leaver.search_owners",
  permission: "leavers.handover",
  input: z.object({ q: z.string().trim().min(1).max(100) }),
  run: ({ ctx, input }) => searchOwners(ctx, input.q),
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
          effectiveAt: input.effectiveAt ?? ctx.now,
          lastDay: input.lastDay ?? null,
        },
      ],
      assigneeId: ctx.actor.id,
    });
    const skipped = result.skipped[0];
    if (skipped) {
      const why = {
        open_case: "already has an open leaver case",
        not_found: "was not found",
        not_human: "is not a person",
        duplicate: "was listed twice",
      }[skipped.reason];
      return { caseId: null, message: `This identity ${why}.` };
    }
    return { caseId: result.opened[0].caseId, message: null };
  },
});
