"use server";

import { STEP_UP } from "@/lib/authz";
import { defineAction } from "@/lib/edge/action";
import { searchOwners } from "@/lib/leavers/case-detail";
import {
  confirmTask,
  handoverOwnership,
  queueTaskIds,
  recheckTask,
  retryTask,
  waiveTask,
} from "@/lib/remediation/commands";
import {
  confirmInput,
  handoverInput,
  ownerSearchInput,
  queueInput,
  taskInput,
  waiveInput,
} from "@/lib/remediation/schemas";

// Wiring only, for every page that shows remediation tasks (a leaver case, a credential): each action names its
// event and permission; the lib service checks again, scopes the task and does the work.

export const queueTasksAction = defineAction({
  name: "remediation.queue",
  permission: "remediation.manage",
  input: queueInput,
  run: ({ ctx, input }) => queueTaskIds(ctx, input),
});

export const retryTaskAction = defineAction({
  name: "remediation.retry",
  permission: "remediation.manage",
  input: taskInput,
  run: ({ ctx, input }) => retryTask(ctx, input),
});

export const recheckTaskAction = defineAction({
  name: "remediation.recheck",
  permission: "remediation.manage",
  input: taskInput,
  run: ({ ctx, input }) => recheckTask(ctx, input),
});

export const confirmTaskAction = defineAction({
  name: "remediation.confirm",
  permission: "remediation.manage",
  input: confirmInput,
  run: ({ ctx, input }) => confirmTask(ctx, input),
});

export const waiveTaskAction = defineAction({
  name: "remediation.waive",
  permission: "remediation.waive",
  // A waiver leaves access in place for good: the admin confirms with a fresh passkey.
  assurance: STEP_UP,
  input: waiveInput,
  run: ({ ctx, input }) => waiveTask(ctx, input),
});

export const handoverAction = defineAction({
  name: "remediation.handover",
  permission: "leavers.handover",
  input: handoverInput,
  run: ({ ctx, input }) => handoverOwnership(ctx, input),
});

export const searchOwnersAction = defineAction({
  name: "leaver.search_owners",
  permission: "leavers.handover",
  input: ownerSearchInput,
  run: ({ ctx, input }) => searchOwners(ctx, input.q),
});
