import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { reviewCampaigns, reviewSchedules } from "@/db/schema";
import {
  campaignKind,
  campaignStatus,
  noResponsePolicy,
  remediationState,
  reviewDecision,
  reviewerRelation,
  reviewRecommendation,
} from "@/db/schema/enums";
import type { CampaignEvidence, CampaignPopulation, CampaignScope } from "@/db/schema/reviews";
import { authorize, can, identityScope, peopleReach } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { keysetCondition, keysetOrder, type PageRequest, toPage } from "@/lib/pagination";
import { REVIEWER_ROLES, searchEligiblePeople } from "@/lib/people/eligible";

/**
 * Campaigns with their completion (from the review_progress rollup) and their remediation. Analysts and admins see
 * every campaign; a reviewer sees the campaigns holding items assigned to them, with their own share of the work.
 */
export async function listCampaigns(ctx: Ctx) {
  authorize(ctx.actor, "reviews.read");
  const mine = peopleReach(ctx.actor) === "all" ? null : ctx.actor.id;
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT c.id, c.name, c.kind::text AS kind, c.status::text AS status, c.starts_at, c.due_at, c.closed_at,
           c.no_response_policy::text AS policy, c.schedule_id,
           ${mine === null ? sql`coalesce(p.items, 0)` : sql`mi.items`}::int AS items,
           ${mine === null ? sql`coalesce(p.decided, 0)` : sql`mi.decided`}::int AS decided,
           coalesce(t.open, 0)::int AS remediation_open, coalesce(t.total, 0)::int AS remediation_total
      FROM review_campaigns c
      LEFT JOIN review_progress p ON p.campaign_id = c.id
      ${
        mine === null
          ? sql``
          : sql`JOIN LATERAL (SELECT count(*) AS items, count(decision) AS decided FROM review_items i
                               WHERE i.campaign_id = c.id AND i.reviewer_id = ${mine}) mi ON mi.items > 0`
      }
      LEFT JOIN LATERAL (SELECT count(*) AS total, count(*) FILTER (WHERE rt.state NOT IN ('verified', 'waived')) AS open
                           FROM remediation_tasks rt JOIN review_items ri ON ri.id = rt.origin_id
                          WHERE rt.origin = 'review_item' AND ri.campaign_id = c.id AND c.status = 'closed') t ON true
     ORDER BY (c.status = 'active') DESC, c.due_at DESC, c.id DESC`,
    z.object({
      id: col.int,
      name: col.text,
      kind: z.enum(campaignKind.enumValues),
      status: z.enum(campaignStatus.enumValues),
      starts_at: col.date,
      due_at: col.date,
      closed_at: col.dateOrNull,
      policy: z.enum(noResponsePolicy.enumValues),
      schedule_id: col.intOrNull,
      items: col.int,
      decided: col.int,
      remediation_open: col.int,
      remediation_total: col.int,
    }),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: r.status,
    startsAt: r.starts_at,
    dueAt: r.due_at,
    closedAt: r.closed_at,
    noResponsePolicy: r.policy,
    scheduled: r.schedule_id !== null,
    items: r.items,
    decided: r.decided,
    remediation: { open: r.remediation_open, total: r.remediation_total },
  }));
}

export type CampaignDetail = Awaited<ReturnType<typeof getCampaign>>;

/** One campaign for the people who run it: progress by reviewer, what was decided, and its remediation. */
export async function getCampaign(ctx: Ctx, campaignId: number) {
  authorize(ctx.actor, "reviews.manage");
  const [c] = await ctx.db
    .select({
      id: reviewCampaigns.id,
      name: reviewCampaigns.name,
      kind: reviewCampaigns.kind,
      status: reviewCampaigns.status,
      scope: reviewCampaigns.scope,
      noResponsePolicy: reviewCampaigns.noResponsePolicy,
      stages: reviewCampaigns.stages,
      reminderEveryDays: reviewCampaigns.reminderEveryDays,
      rollbackDays: reviewCampaigns.rollbackDays,
      population: reviewCampaigns.population,
      evidence: reviewCampaigns.evidence,
      startsAt: reviewCampaigns.startsAt,
      dueAt: reviewCampaigns.dueAt,
      closedAt: reviewCampaigns.closedAt,
      fallback: sql<
        string | null
      >`(SELECT display_name FROM identities WHERE id = ${reviewCampaigns.fallbackReviewerId})`,
      createdBy: sql<string | null>`(SELECT display_name FROM identities WHERE id = ${reviewCampaigns.createdById})`,
      closedBy: sql<string | null>`(SELECT display_name FROM identities WHERE id = ${reviewCampaigns.closedById})`,
      schedule: sql<string | null>`(SELECT name FROM review_schedules WHERE id = ${reviewCampaigns.scheduleId})`,
    })
    .from(reviewCampaigns)
    .where(eq(reviewCampaigns.id, campaignId));
  if (!c) throw new NotFound("That campaign");
  const [reviewers, decisions, remediation] = await Promise.all([
    queryRows(
      ctx.db,
      sql`
      SELECT i.reviewer_id AS id, p.display_name AS name, count(*)::int AS items,
             count(*) FILTER (WHERE i.decision IS NOT NULL AND i.decision <> 'dont_know')::int AS decided,
             count(*) FILTER (WHERE i.privileged AND i.decision IS NULL)::int AS privileged_open,
             max(i.reminded_at) AS reminded_at, max(i.reminders)::int AS reminders,
             bool_or(i.reviewer_relation = 'escalation') AS escalated
        FROM review_items i JOIN identities p ON p.id = i.reviewer_id
       WHERE i.campaign_id = ${campaignId}
       GROUP BY i.reviewer_id, p.display_name
       ORDER BY (count(*) - count(*) FILTER (WHERE i.decision IS NOT NULL AND i.decision <> 'dont_know')) DESC, p.display_name`,
      z.object({
        id: col.int,
        name: col.text,
        items: col.int,
        decided: col.int,
        privileged_open: col.int,
        reminded_at: col.dateOrNull,
        reminders: col.int,
        escalated: col.bool,
      }),
    ),
    queryRows(
      ctx.db,
      sql`
      SELECT decision::text AS decision, decision_source::text AS source, recommendation::text AS recommendation, count(*)::int AS n
        FROM review_items WHERE campaign_id = ${campaignId} GROUP BY 1, 2, 3`,
      z.object({
        decision: z.enum(reviewDecision.enumValues).nullable(),
        source: col.textOrNull,
        recommendation: z.enum(reviewRecommendation.enumValues),
        n: col.int,
      }),
    ),
    queryRows(
      ctx.db,
      sql`
      SELECT rt.state::text AS state, rt.mode::text AS mode, count(*)::int AS n
        FROM remediation_tasks rt JOIN review_items ri ON ri.id = rt.origin_id
       WHERE rt.origin = 'review_item' AND ri.campaign_id = ${campaignId}
       GROUP BY 1, 2`,
      z.object({ state: z.enum(remediationState.enumValues), mode: col.text, n: col.int }),
    ),
  ]);
  const total = remediation.reduce((a, r) => a + r.n, 0);
  const done = remediation.filter((r) => r.state === "verified" || r.state === "waived").reduce((a, r) => a + r.n, 0);
  return {
    ...c,
    scope: c.scope as CampaignScope,
    population: c.population as CampaignPopulation | null,
    evidence: c.evidence as CampaignEvidence | null,
    reviewers: reviewers.map((r) => ({
      id: r.id,
      name: r.name,
      items: r.items,
      decided: r.decided,
      privilegedOpen: r.privileged_open,
      remindedAt: r.reminded_at,
      reminders: r.reminders,
      escalated: r.escalated,
    })),
    decisions,
    remediation: {
      total,
      done,
      failed: remediation.filter((r) => r.state === "failed").reduce((a, r) => a + r.n, 0),
      byState: remediation,
    },
    complete: c.status === "closed" && total === done,
  };
}

const inboxRow = z.object({
  id: col.int,
  campaign_id: col.int,
  campaign: col.text,
  kind: z.enum(campaignKind.enumValues),
  due_at: col.date,
  subject_id: col.int,
  subject: col.text,
  subject_title: col.textOrNull,
  subject_department: col.textOrNull,
  grant_id: col.intOrNull,
  credential_id: col.intOrNull,
  privileged: col.bool,
  stage: col.int,
  relation: z.enum(reviewerRelation.enumValues),
  recommendation: z.enum(reviewRecommendation.enumValues),
  recommendation_reason: col.textOrNull,
  decision: z.enum(reviewDecision.enumValues).nullable(),
  justification: col.textOrNull,
  kept_scopes: col.textArray.nullable(),
  decided_at: col.dateOrNull,
  snapshot: col.json(z.record(z.string(), z.unknown()).nullable()),
  rollback_until: col.dateOrNull,
  restored_at: col.dateOrNull,
  decision_source: col.textOrNull,
});
export type InboxItem = ReturnType<typeof toInboxItem>;
const toInboxItem = (r: z.output<typeof inboxRow>) => ({
  id: r.id,
  campaignId: r.campaign_id,
  campaign: r.campaign,
  kind: r.kind,
  dueAt: r.due_at,
  subject: { id: r.subject_id, name: r.subject, title: r.subject_title, department: r.subject_department },
  grantId: r.grant_id,
  credentialId: r.credential_id,
  privileged: r.privileged,
  stage: r.stage,
  relation: r.relation,
  recommendation: r.recommendation,
  recommendationReason: r.recommendation_reason,
  decision: r.decision,
  decisionSource: r.decision_source,
  justification: r.justification,
  keptScopes: r.kept_scopes,
  decidedAt: r.decided_at,
  snapshot: (r.snapshot ?? {}) as Record<string, unknown>,
  rollbackUntil: r.rollback_until,
  restoredAt: r.restored_at,
});

/**
 * The reviewer's inbox: their items of active campaigns (and, to restore, policy revokes still in their rollback
 * window), grouped by person or credential holder in keyset order — one index range scan however large the campaign.
 */
export async function reviewInbox(
  ctx: Ctx,
  input: { campaign?: number; show: "open" | "decided" | "all" } & PageRequest,
) {
  authorize(ctx.actor, "reviews.decide");
  const me = ctx.actor.id ?? -1;
  const keys = [sql`i.campaign_id`, sql`i.subject_id`, sql`i.id`];
  const page = keysetCondition(input, keys, ["int", "int", "int8"], "asc");
  const show = {
    open: sql`AND (i.decision IS NULL OR i.decision = 'dont_know') AND c.status = 'active'`,
    decided: sql`AND i.decision IS NOT NULL AND i.decision <> 'dont_know'`,
    all: sql``,
  }[input.show];
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT i.id, i.campaign_id, c.name AS campaign, c.kind::text AS kind, c.due_at, i.subject_id, p.display_name AS subject,
           p.title AS subject_title, d.name AS subject_department, i.grant_id, i.credential_id, i.privileged, i.stage,
           i.reviewer_relation::text AS relation, i.recommendation::text AS recommendation, i.recommendation_reason,
           i.decision::text AS decision, i.decision_source::text AS decision_source, i.justification, i.kept_scopes, i.decided_at,
           i.snapshot, i.rollback_until, i.restored_at
      FROM review_items i
      JOIN review_campaigns c ON c.id = i.campaign_id
      JOIN identities p ON p.id = i.subject_id LEFT JOIN departments d ON d.id = p.department_id
     WHERE i.reviewer_id = ${me}
       AND (c.status = 'active' OR (i.rollback_until > ${ctx.now.toISOString()}::timestamptz AND i.restored_at IS NULL))
       ${input.campaign ? sql`AND i.campaign_id = ${input.campaign}` : sql``} ${show} ${page ? sql`AND ${page}` : sql``}
     ORDER BY ${keysetOrder(input, keys, "asc")}
     LIMIT ${input.limit + 1}`,
    inboxRow,
  );
  return toPage(rows.map(toInboxItem), input, (r) => [r.campaignId, r.subject.id, r.id]);
}

/** The reviewer's campaigns with their open and total counts, for the inbox header and its campaign switch. */
export async function inboxSummary(ctx: Ctx) {
  authorize(ctx.actor, "reviews.decide");
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT c.id, c.name, c.kind::text AS kind, c.due_at, count(*)::int AS items,
           count(*) FILTER (WHERE i.decision IS NULL OR i.decision = 'dont_know')::int AS open,
           count(*) FILTER (WHERE i.privileged AND (i.decision IS NULL OR i.decision = 'dont_know'))::int AS privileged_open,
           max(i.reminded_at) AS reminded_at, bool_or(i.reviewer_relation = 'escalation') AS escalated
      FROM review_items i JOIN review_campaigns c ON c.id = i.campaign_id AND c.status = 'active'
     WHERE i.reviewer_id = ${ctx.actor.id ?? -1}
     GROUP BY c.id ORDER BY c.due_at, c.id`,
    z.object({
      id: col.int,
      name: col.text,
      kind: z.enum(campaignKind.enumValues),
      due_at: col.date,
      items: col.int,
      open: col.int,
      privileged_open: col.int,
      reminded_at: col.dateOrNull,
      escalated: col.bool,
    }),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    dueAt: r.due_at,
    items: r.items,
    open: r.open,
    privilegedOpen: r.privileged_open,
    remindedAt: r.reminded_at,
    escalated: r.escalated,
  }));
}

/** A person's review history for their page: every decision about their access, newest first. */
export async function personReviews(ctx: Ctx, identityId: number) {
  authorize(ctx.actor, "people.read");
  const scope = identityScope(ctx.actor);
  return queryRows(
    ctx.db,
    sql`
    SELECT i.id, c.id AS campaign_id, c.name AS campaign, coalesce(i.snapshot->>'entitlement', i.snapshot->>'name') AS what,
           coalesce(i.snapshot->>'system', '') AS system, i.decision::text AS decision, i.decision_source::text AS source,
           i.decided_at, r.display_name AS reviewer
      FROM review_items i JOIN review_campaigns c ON c.id = i.campaign_id JOIN identities r ON r.id = i.reviewer_id
     WHERE i.subject_id = ${identityId} ${scope ? sql`AND i.subject_id IN (SELECT identities.id FROM identities WHERE ${scope})` : sql``}
     ORDER BY coalesce(i.decided_at, c.starts_at) DESC, i.id DESC LIMIT 50`,
    z.object({
      id: col.int,
      campaign_id: col.int,
      campaign: col.text,
      what: col.textOrNull,
      system: col.text,
      decision: col.textOrNull,
      source: col.textOrNull,
      decided_at: col.dateOrNull,
      reviewer: col.text,
    }),
  );
}

/** Recurring campaigns. */
export async function listSchedules(ctx: Ctx) {
  authorize(ctx.actor, "reviews.manage");
  return ctx.db.select().from(reviewSchedules).orderBy(desc(reviewSchedules.enabled), reviewSchedules.nextRunAt);
}

/** Whether the viewer runs campaigns (sees them all) or only reviews. */
export const runsCampaigns = (ctx: Ctx) => can(ctx.actor, "reviews.manage");

/** People items can be delegated to: eligible reviewers (they hold a role that decides reviews), by name. */
export async function searchReviewers(ctx: Ctx, q: string) {
  authorize(ctx.actor, "reviews.decide");
  const people = await searchEligiblePeople(ctx.db, q, { roles: REVIEWER_ROLES, limit: 10 });
  return people
    .filter((p) => p.id !== ctx.actor.id)
    .map((p) => ({ id: p.id, name: p.name, title: p.title, department: p.department }));
}
