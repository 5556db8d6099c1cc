import { z } from "zod";
import { authenticatorType, breakGlassKind, breakGlassReason, breakGlassStatus } from "@/db/schema/enums";
import { id, text } from "@/lib/input";
import { pageParams } from "@/lib/pagination";
import { breakGlassPolicy, proofingChecklist } from "./rules";

const common = {
  subjectId: id.optional(),
  reasonCode: z.enum(breakGlassReason.enumValues),
  reason: text(2000).pipe(z.string().min(10, "Say what happened (10 characters at least).")),
  ticketRef: text(100)
    .optional()
    .transform((v) => v || undefined),
  drill: z.boolean().optional(),
};

export const requestInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("emergency_access"),
    entitlementId: id,
    durationMinutes: z.number().int().min(1).max(1440),
    ...common,
  }),
  z.object({
    kind: z.literal("account_recovery"),
    recoveryFactor: z.enum(authenticatorType.enumValues).default("passkey_device_bound"),
    ...common,
  }),
]);

export const requestIdInput = z.object({ requestId: id });

export const approveInput = z.object({
  requestId: id,
  comment: text(1000).optional(),
  /** Recovery only: how the subject was proofed. */
  checklist: proofingChecklist.optional(),
  /** Shorten the time asked for (never extend it). */
  durationMinutes: z.number().int().min(1).max(1440).optional(),
});

export const denyInput = z.object({
  requestId: id,
  reason: text(1000).pipe(z.string().min(5, "Say why (5 characters at least).")),
});

export const endInput = z.object({
  requestId: id,
  reason: text(1000).pipe(z.string().min(5, "Say why it ends early.")),
});

export const postReviewInput = z.object({
  requestId: id,
  summary: text(5000).pipe(z.string().min(20, "Say what was done (20 characters at least).")),
});

export const policyInput = breakGlassPolicy;

/** Filters of the request list (and its CSV export): "open" is pending, approved or active. */
export const requestFilters = z.object({
  status: z
    .enum([...breakGlassStatus.enumValues, "open"])
    .optional()
    .catch(undefined),
  kind: z.enum(breakGlassKind.enumValues).optional().catch(undefined),
  drill: z.enum(["1", "0"]).optional().catch(undefined),
  /** Used break-glass whose post-incident review is past due. */
  review: z.enum(["overdue"]).optional().catch(undefined),
});
export type RequestFilters = z.infer<typeof requestFilters>;
export const requestListInput = requestFilters.merge(pageParams);
export type RequestListInput = z.infer<typeof requestListInput>;

/** Analysts look up the locked-out person they ask recovery for. */
export const subjectSearchInput = z.object({ q: text(100).pipe(z.string().min(2, "Type two letters at least.")) });
