import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { decisionSource, reviewDecision, reviewerRelation, reviewRecommendation } from "@/db/schema/enums";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { allPages, utc } from "@/lib/csv";
import { getCampaign } from "./queries";
import { DECISION_LABELS, RECOMMENDATION_LABELS, RELATION_LABELS } from "./rules";

/**
 * The evidence report for auditors (SOC 2 CC6.2/CC6.3, ISO 27001 A.5.18): how the population was selected, then per
 * item who reviewed it and in what relation to the subject, the decision, its justification, the time it took,
 * whether the recommendation was followed, what the no-response policy did, and the remediation task with its
 * verification. Stamped with the audit chain's head at close so it can be checked against the log.
 */
const lineRow = z.object({
  id: col.int,
  subject: col.text,
  employee_number: col.textOrNull,
  what: col.text,
  system: col.text,
  privileged: col.bool,
  reviewer: col.text,
  relation: z.enum(reviewerRelation.enumValues),
  stage: col.int,
  recommendation: z.enum(reviewRecommendation.enumValues),
  recommendation_reason: col.textOrNull,
  decision: z.enum(reviewDecision.enumValues).nullable(),
  source: z.enum(decisionSource.enumValues).nullable(),
  justification: col.textOrNull,
  kept_scopes: col.textArray.nullable(),
  assigned_at: col.dateOrNull,
  decided_at: col.dateOrNull,
  decided_by: col.textOrNull,
  task_id: col.intOrNull,
  task_state: col.textOrNull,
  task_mode: col.textOrNull,
  verification: col.textOrNull,
  verified_at: col.dateOrNull,
  restored_at: col.dateOrNull,
});
export type ReportLine = ReturnType<typeof toLine>;

const toLine = (r: z.output<typeof lineRow>) => ({
  id: r.id,
  subject: r.subject,
  employeeNumber: r.employee_number,
  what: r.what,
  system: r.system,
  privileged: r.privileged,
  reviewer: r.reviewer,
  relation: RELATION_LABELS[r.relation],
  stage: r.stage,
  recommendation: RECOMMENDATION_LABELS[r.recommendation],
  recommendationReason: r.recommendation_reason,
  decision: r.decision ? DECISION_LABELS[r.decision] : "Undecided",
  source: r.source,
  /**
   * Followed when the reviewer's decision matches a keep/revoke/reduce recommendation; "look closely" has nothing to
   * follow, and the no-response policy follows none.
   */
  followed:
    r.decision === null || r.recommendation === "look_closely" || r.source === "policy"
      ? null
      : r.decision === r.recommendation || (r.recommendation === "reduce" && r.decision === "revoke"),
  justification: r.justification,
  keptScopes: r.kept_scopes,
  assignedAt: r.assigned_at,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
  minutesTaken:
    r.decided_at && r.assigned_at
      ? Math.max(0, Math.round((r.decided_at.getTime() - r.assigned_at.getTime()) / 60_000))
      : null,
  task: r.task_id
    ? { id: r.task_id, state: r.task_state, mode: r.task_mode, verification: r.verification, verifiedAt: r.verified_at }
    : null,
  restoredAt: r.restored_at,
});

/** One page of the report's lines, in item order (keyset on the id). */
export async function reportLines(ctx: Ctx, campaignId: number, after = 0, limit = 500): Promise<ReportLine[]> {
  authorize(ctx.actor, "reviews.manage");
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT i.id, p.display_name AS subject, p.employee_number,
           coalesce(i.snapshot->>'entitlement', i.snapshot->>'name', '') AS what, coalesce(i.snapshot->>'system', '') AS system,
           i.privileged, r.display_name AS reviewer, i.reviewer_relation::text AS relation, i.stage,
           i.recommendation::text AS recommendation, i.recommendation_reason, i.decision::text AS decision,
           i.decision_source::text AS source, i.justification, i.kept_scopes, i.assigned_at, i.decided_at,
           db.display_name AS decided_by, t.id AS task_id, t.state::text AS task_state, t.mode::text AS task_mode,
           t.verification, t.verified_at, i.restored_at
      FROM review_items i
      JOIN identities p ON p.id = i.subject_id JOIN identities r ON r.id = i.reviewer_id
      LEFT JOIN identities db ON db.id = i.decided_by_id
      LEFT JOIN LATERAL (SELECT * FROM remediation_tasks rt WHERE rt.origin = 'review_item' AND rt.origin_id = i.id
                          ORDER BY rt.id DESC LIMIT 1) t ON true
     WHERE i.campaign_id = ${campaignId} AND i.id > ${after}
     ORDER BY i.id LIMIT ${limit}`,
    lineRow,
  );
  return rows.map(toLine);
}

/** The report's header: the campaign, its population and its evidence stamp. */
export async function campaignReport(ctx: Ctx, campaignId: number) {
  authorize(ctx.actor, "reviews.manage");
  return getCampaign(ctx, campaignId);
}

export const REPORT_CSV_HEADER = [
  "item_id",
  "subject",
  "employee_number",
  "access",
  "system",
  "privileged",
  "reviewer",
  "reviewer_relation",
  "stage",
  "recommendation",
  "recommendation_reason",
  "decision",
  "decided_by",
  "decision_source",
  "recommendation_followed",
  "justification",
  "kept_scopes",
  "assigned_at_utc",
  "decided_at_utc",
  "minutes_taken",
  "remediation_task",
  "remediation_state",
  "verification",
  "verified_at_utc",
  "restored_at_utc",
];

export async function* reportCsvRows(ctx: Ctx, campaignId: number): AsyncGenerator<unknown[]> {
  const pages = allPages(async (after) => {
    const lines = await reportLines(ctx, campaignId, Number(after ?? 0), 1000);
    return { items: lines, next: lines.length === 1000 ? String(lines.at(-1)!.id) : null };
  });
  for await (const l of pages) {
    yield [
      l.id,
      l.subject,
      l.employeeNumber ?? "",
      l.what,
      l.system,
      l.privileged ? "yes" : "no",
      l.reviewer,
      l.relation,
      l.stage,
      l.recommendation,
      l.recommendationReason ?? "",
      l.decision,
      l.decidedBy ?? (l.source === "policy" ? "no-response policy" : ""),
      l.source ?? "",
      l.followed === null ? "" : l.followed ? "followed" : "overruled",
      l.justification ?? "",
      l.keptScopes?.join(" ") ?? "",
      utc(l.assignedAt),
      utc(l.decidedAt),
      l.minutesTaken ?? "",
      l.task?.id ?? "",
      l.task?.state ?? "",
      l.task?.verification ?? "",
      utc(l.task?.verifiedAt ?? null),
      utc(l.restoredAt),
    ];
  }
}
