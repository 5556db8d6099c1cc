import { z } from "zod";
import type { breakGlassKind, breakGlassReason, breakGlassStatus } from "@/db/schema/enums";
import type { Strength } from "@/lib/factors/strength";

/**
 * Break-glass rules as plain data: the approval policy (admins edit it; these are the defaults), labels, and the
 * pure checks the commands apply inside their transactions.
 */
export type BreakGlassKind = (typeof breakGlassKind.enumValues)[number];
export type BreakGlassStatus = (typeof breakGlassStatus.enumValues)[number];
export type BreakGlassReason = (typeof breakGlassReason.enumValues)[number];

/** AAL2 on Lockstep's strength scale: no recovery ever issues less. */
export const AAL2: Strength = 3;

/**
 * A group approvers may be required from (AND across groups): people in given departments (e.g. Security), or the
 * owner of the system the emergency entitlement is on.
 */
const approverGroup = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("department"),
    label: z.string().min(1).max(80),
    departmentIds: z.array(z.number().int().positive()).min(1).max(20),
  }),
  z.object({ kind: z.literal("system_owner"), label: z.string().min(1).max(80) }),
]);
export type ApproverGroup = z.infer<typeof approverGroup>;

export const breakGlassPolicy = z.object({
  /** Distinct approvers needed; never fewer than two. */
  requiredApprovals: z.number().int().min(2).max(5),
  /** When set, one approval from each group is needed (and requiredApprovals still counts them all). */
  groups: z.array(approverGroup).max(4),
  /** The longest emergency access an approver can grant. */
  maxDurationMinutes: z.number().int().min(1).max(1440),
  /** A request nobody approves lapses after this. */
  requestTtlMinutes: z.number().int().min(5).max(1440),
  /** The enrolment pass of an approved recovery works this long, once. */
  passLifetimeMinutes: z.number().int().min(5).max(480),
  /** Every use is reviewed after the incident within this many days. */
  postReviewDays: z.number().int().min(1).max(30),
});
export type BreakGlassPolicy = z.infer<typeof breakGlassPolicy>;

export const DEFAULT_BREAK_GLASS_POLICY: BreakGlassPolicy = {
  requiredApprovals: 2,
  groups: [],
  maxDurationMinutes: 240,
  requestTtlMinutes: 120,
  passLifetimeMinutes: 60,
  postReviewDays: 5,
};

export const REASON_LABELS: Record<BreakGlassReason, string> = {
  lost_factor: "Lost or broken factor (key, phone)",
  factor_outage: "Factor channel down (SMS, push)",
  locked_out: "Locked out",
  incident_response: "Incident response",
  production_fix: "Production fix",
  security_investigation: "Security investigation",
  other: "Other",
};

export const STATUS_LABELS: Record<BreakGlassStatus, string> = {
  pending: "Waiting for approval",
  approved: "Approved",
  denied: "Denied",
  active: "Active",
  expired: "Expired",
  revoked: "Ended early",
  cancelled: "Cancelled",
  disputed: "Disputed by the subject",
};

/** A request still being decided, or whose access is live: the ones that can change. */
export const OPEN_STATUSES = ["pending", "approved", "active"] as const satisfies readonly BreakGlassStatus[];

/**
 * Whether the subject may dispute a request ("this wasn't me"): when something was granted or a pass issued in
 * their name (it was activated: active, ended early, expired after use), or when it is still open (pending or
 * approved: a request in their name that could still be granted — disputing stops it). Not a drill (it grants
 * nothing), not twice. A request denied, cancelled or lapsed before approval changed nothing and can change
 * nothing: there is nothing to end, so it is refused (disputeRefusal says why).
 */
export function disputeRefusal(r: {
  status: BreakGlassStatus;
  activatedAt: Date | null;
  drill: boolean;
}): string | null {
  if (r.status === "disputed") return "You have already disputed this request.";
  if (r.drill) return "This was a drill: nothing was granted.";
  if (r.activatedAt || (OPEN_STATUSES as readonly BreakGlassStatus[]).includes(r.status)) return null;
  const what = r.status === "expired" ? "lapsed without approval" : `was ${STATUS_LABELS[r.status].toLowerCase()}`;
  return `This request ${what}: nothing was granted and nothing can be, so there is nothing to dispute.`;
}

/** The identity-proofing checklist a recovery approval records (at least one method must be ticked). */
export const proofingChecklist = z
  .object({
    videoCallWithId: z.boolean().default(false),
    managerConfirmed: z.boolean().default(false),
    inPerson: z.boolean().default(false),
  })
  .refine((c) => c.videoCallWithId || c.managerConfirmed || c.inPerson, {
    message: "Record how the person was proofed (video call with ID, manager confirmation or in person).",
  });
export type ProofingChecklist = z.infer<typeof proofingChecklist>;

export const PROOFING_LABELS: Record<keyof ProofingChecklist, string> = {
  videoCallWithId: "Video call with photo ID",
  managerConfirmed: "Manager confirmed",
  inPerson: "In person",
};

/**
 * Whether the approvals so far meet the policy: enough distinct approvers, and when groups are required, each group
 * covered by a different approver (one person cannot stand for two groups).
 */
export function approvalsMet(
  policy: Pick<BreakGlassPolicy, "requiredApprovals" | "groups">,
  approvals: readonly { approverId: number; groups: readonly string[] }[],
): boolean {
  if (new Set(approvals.map((a) => a.approverId)).size < policy.requiredApprovals) return false;
  return coverGroups(
    policy.groups.map((g) => g.label),
    approvals,
  );
}

/**
 * The required groups a request of this kind can never cover. "The owner of the system" is the owner of the system
 * the emergency entitlement is on; an account recovery asks for no system, so nobody is in that group and a policy
 * requiring it cannot be met for recovery (every recovery would lapse). Pool health flags it before anyone needs
 * it; the policy itself stays valid, because it is right for emergency access.
 */
export function uncoverableGroups(policy: Pick<BreakGlassPolicy, "groups">, kind: BreakGlassKind): ApproverGroup[] {
  return kind === "account_recovery" ? policy.groups.filter((g) => g.kind === "system_owner") : [];
}

/** Which approvals cannot be met, as the subject of a headline: "Account recovery approvals cannot be met …". */
export function unmetApprovals(canBeMetFor: Record<BreakGlassKind, boolean>): string | null {
  if (canBeMetFor.account_recovery && canBeMetFor.emergency_access) return null;
  if (canBeMetFor.emergency_access) return "Account recovery approvals";
  if (canBeMetFor.account_recovery) return "Emergency access approvals";
  return "Break-glass approvals";
}

/** Can each group be matched to a distinct approver who belongs to it? (small bipartite matching) */
function coverGroups(
  groups: readonly string[],
  approvals: readonly { approverId: number; groups: readonly string[] }[],
) {
  const used = new Set<number>();
  const assign = (i: number): boolean => {
    if (i === groups.length) return true;
    for (const a of approvals) {
      if (used.has(a.approverId) || !a.groups.includes(groups[i])) continue;
      used.add(a.approverId);
      if (assign(i + 1)) return true;
      used.delete(a.approverId);
    }
    return false;
  };
  return assign(0);
}

/** The duration granted: what was asked, shortened by any approver, capped by the policy. */
export function grantedMinutes(asked: number, shortenings: readonly (number | null)[], max: number): number {
  return Math.min(asked, max, ...shortenings.filter((m): m is number => m !== null));
}

/** The least strength a recovery's enrolment pass accepts: the subject's strength before, never below AAL2. */
export function passMinStrength(effectiveBefore: number | null): Strength {
  return Math.max(AAL2, Math.min(5, effectiveBefore ?? 0)) as Strength;
}
