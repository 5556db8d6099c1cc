import type {
  campaignKind,
  decisionSource,
  noResponsePolicy,
  reviewCadence,
  reviewDecision,
  reviewerRelation,
  reviewRecommendation,
} from "@/db/schema/enums";

/**
 * Pure review rules: recommendation thresholds, when a justification is required, bulk guardrails, cadences. No
 * database, no Next; the SQL generator embeds the thresholds so TypeScript and SQL cannot disagree.
 */
export type CampaignKind = (typeof campaignKind.enumValues)[number];
export type Decision = (typeof reviewDecision.enumValues)[number];
export type Recommendation = (typeof reviewRecommendation.enumValues)[number];
export type ReviewerRelation = (typeof reviewerRelation.enumValues)[number];
export type DecisionSource = (typeof decisionSource.enumValues)[number];
export type NoResponsePolicy = (typeof noResponsePolicy.enumValues)[number];
export type Cadence = (typeof reviewCadence.enumValues)[number];

/** Access or scopes unused this long are recommended for revoke (or reduce). */
export const UNUSED_DAYS = 90;
/** Held by fewer than this share of the person's department peers: look closely. */
export const FEW_PEERS_SHARE = 0.1;
/** Held by at least this share of department peers, and used: keep. */
export const MOST_PEERS_SHARE = 0.5;
/** Peer shares mean something only in a department at least this large. */
export const MIN_PEER_GROUP = 5;

export const DECISION_LABELS: Record<Decision, string> = {
  keep: "Keep",
  revoke: "Revoke",
  reduce: "Reduce",
  dont_know: "Don't know",
};
export const RECOMMENDATION_LABELS: Record<Recommendation, string> = {
  keep: "Keep",
  revoke: "Revoke",
  reduce: "Reduce",
  look_closely: "Look closely",
};
export const RELATION_LABELS: Record<ReviewerRelation, string> = {
  manager: "Manager",
  owner: "Accountable owner",
  system_owner: "System owner",
  fallback: "Fallback reviewer",
  escalation: "Escalated (reviewer's manager)",
  delegate: "Delegate",
};

/**
 * A justification is required to keep privileged access, and to overrule a revoke recommendation (SOC 2 CC6.2:
 * the reviewer says why the exception stands).
 */
export function justificationRequired(
  item: { privileged: boolean; recommendation: Recommendation },
  decision: Decision,
) {
  if (decision !== "keep") return null;
  if (item.privileged) return "Keeping privileged access needs a justification.";
  if (item.recommendation === "revoke") return "Keeping what was recommended for revoke needs a justification.";
  return null;
}

/**
 * Bulk decisions are for the obvious: a bulk keep may not include privileged items or items recommended for revoke
 * (those are decided one by one, with a justification). Returns the refusal, or null.
 */
export function bulkRefusal(
  items: readonly { privileged: boolean; recommendation: Recommendation }[],
  decision: Decision,
): string | null {
  if (decision !== "keep") return null;
  const privileged = items.filter((i) => i.privileged).length;
  const flagged = items.filter((i) => !i.privileged && i.recommendation === "revoke").length;
  if (privileged === 0 && flagged === 0) return null;
  const parts = [
    privileged ? `${privileged} privileged` : null,
    flagged ? `${flagged} recommended for revoke` : null,
  ].filter(Boolean);
  return `A bulk keep cannot include ${parts.join(" or ")} item${privileged + flagged === 1 ? "" : "s"}: decide those one by one, with a justification.`;
}

/** The next run of a schedule after `from` (calendar months, UTC). */
export function nextRunAfter(cadence: Cadence, from: Date): Date {
  const months = { monthly: 1, quarterly: 3, semiannual: 6, yearly: 12 }[cadence];
  const d = new Date(from);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** The FedRAMP Moderate values of NIST 800-53 AC-2(j), offered as the default schedules. */
export const DEFAULT_SCHEDULES = [
  { name: "Privileged access (quarterly)", cadence: "quarterly", privilegedOnly: true },
  { name: "All access (yearly)", cadence: "yearly", privilegedOnly: false },
] as const satisfies readonly { name: string; cadence: Cadence; privilegedOnly: boolean }[];

/**
 * The no-response policies in plain words, as the create form and the close dialog explain them. Whatever the policy,
 * privileged access nobody decided is revoked, and can be restored within the campaign's rollback window.
 */
export const POLICY_LABELS: Record<NoResponsePolicy, { label: string; help: string; atClose: string }> = {
  keep: {
    label: "Keep",
    help: "Access nobody decided stays, and the evidence says it was not reviewed.",
    atClose: "kept, and reported as not reviewed",
  },
  revoke: {
    label: "Revoke",
    help: "Access nobody decided is removed at its system when the campaign closes.",
    atClose: "revoked at its system",
  },
  escalate: {
    label: "Escalate",
    help: "Once the due date passes, what is undecided goes to each reviewer's manager; what is still undecided at close is kept and reported as not reviewed.",
    atClose: "kept, and reported as not reviewed even after escalation",
  },
};

export const DECISION_SOURCE_LABELS: Record<DecisionSource, string> = {
  reviewer: "by the reviewer",
  bulk: "in bulk",
  policy: "by the no-response policy",
};

export const CADENCE_LABELS: Record<Cadence, string> = {
  monthly: "Monthly",
  quarterly: "Quarterly",
  semiannual: "Every six months",
  yearly: "Yearly",
};
