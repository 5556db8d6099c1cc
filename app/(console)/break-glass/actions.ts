"use server";

import { STEP_UP } from "@/lib/authz";
import {
  approveBreakGlass,
  cancelBreakGlass,
  denyBreakGlass,
  disputeBreakGlass,
  endBreakGlass,
  recordPostReview,
  requestBreakGlass,
} from "@/lib/break-glass/commands";
import { previewPoolHealth } from "@/lib/break-glass/detail";
import { updateBreakGlassPolicy } from "@/lib/break-glass/policy";
import { searchRecoverySubjects } from "@/lib/break-glass/queries";
import {
  approveInput,
  denyInput,
  endInput,
  policyInput,
  postReviewInput,
  requestIdInput,
  requestInput,
  subjectSearchInput,
} from "@/lib/break-glass/schemas";
import { defineAction } from "@/lib/edge/action";

// Wiring only: each action names its event, permission and (approve, deny, policy) the passkey step-up from the
// last five minutes it needs; the lib service checks the permission again and does the work.

export const requestBreakGlassAction = defineAction({
  name: "break_glass.request",
  permission: "break_glass.request",
  input: requestInput,
  run: ({ ctx, input }) => requestBreakGlass(ctx, input),
});

export const approveBreakGlassAction = defineAction({
  name: "break_glass.approve",
  permission: "break_glass.approve",
  assurance: STEP_UP,
  input: approveInput,
  run: ({ ctx, input }) => approveBreakGlass(ctx, input),
});

export const denyBreakGlassAction = defineAction({
  name: "break_glass.deny",
  permission: "break_glass.approve",
  assurance: STEP_UP,
  input: denyInput,
  run: ({ ctx, input }) => denyBreakGlass(ctx, input),
});

export const cancelBreakGlassAction = defineAction({
  name: "break_glass.cancel",
  permission: "break_glass.request",
  input: requestIdInput,
  run: ({ ctx, input }) => cancelBreakGlass(ctx, input),
});

export const endBreakGlassAction = defineAction({
  name: "break_glass.revoke",
  permission: "break_glass.request",
  input: endInput,
  run: ({ ctx, input }) => endBreakGlass(ctx, input),
});

export const disputeBreakGlassAction = defineAction({
  name: "break_glass.dispute",
  permission: "break_glass.request",
  input: requestIdInput,
  run: ({ ctx, input }) => disputeBreakGlass(ctx, input),
});

export const postReviewAction = defineAction({
  name: "break_glass.post_review",
  permission: "break_glass.request",
  input: postReviewInput,
  run: ({ ctx, input }) => recordPostReview(ctx, input),
});

export const updateBreakGlassPolicyAction = defineAction({
  name: "settings.update",
  permission: "policies.manage",
  assurance: STEP_UP,
  input: policyInput,
  run: ({ ctx, input }) => updateBreakGlassPolicy(ctx, input),
});

export const searchRecoverySubjectsAction = defineAction({
  name: "break_glass.search_subjects",
  permission: "break_glass.request_for",
  input: subjectSearchInput,
  run: ({ ctx, input }) => searchRecoverySubjects(ctx, input.q),
});

/** The approver-pool check against the policy being edited (no step-up: it changes nothing). */
export const previewPoolHealthAction = defineAction({
  name: "break_glass.preview_policy",
  permission: "policies.manage",
  input: policyInput,
  run: ({ ctx, input }) => previewPoolHealth(ctx, input),
});
