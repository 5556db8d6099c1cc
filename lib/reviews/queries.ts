import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { departments, entitlements, reviewCampaigns, reviewSchedules, systems } from "@/db/schema";
import {
  campaignKind,
  campaignStatus,
  decisionSource,
  noResponsePolicy,
  remediationState,
  reviewDecision,
  reviewerRelation,
  reviewRecommendation,
} from "@/db/schema/enums";
import type { CampaignEvidence, CampaignPopulation, CampaignScope } from "@/db/schema/reviews";
import { intArray } from "@/db/sql";
import { authorize, can, identityScope, peopleReach } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { keysetCondition, keysetOrder, type PageRequest, toPage } from "@/lib/pagination";
import { REVIEWER_ROLES, searchEligiblePeople } from "@/lib/people/eligible";
import { listTasksPage } from "@/lib/remediation/queries";
import { scopeInWords } from "./generate.internal";
import { describeScope, normalizeScope } from "./population";
import type { ReviewerRelation } from "./rules";

const campaignRow = z.object({
  id: col.int,
  name: col.text,
  kind: z.enum(campaignKind.enumValues),
  status: z.enum(campaignStatus.enumValues),
  starts_at: col.date,
  due_at: col.date,
  closed_at: col.dateOrNull,
  policy: z.enum(noResponsePolicy.enumValues),
  schedule_id: col.intOrNull,
  rank: col.int,
  items: col.int,
  decided: col.int,
  reviewers: col.int,
  reviewers_waiting: col.int,
  remediation_total: col.int,
  remediation_verified: col.int,
  remediation_failed: col.int,
  remediation_waived: col.int,
});

/**
 * Campaigns with their completion (from the review_progress rollup), their reviewers still owing decisions (overdue
 * once the campaign is past due) and their remediation, in one statement, active first then drafts then closed, in
 * keyset pages. Analysts and admins see every campaign; a reviewer sees the campaigns holding items assigned to them,
 * with their own share of the work.
 */
export async function listCampaigns(
  ctx: Ctx,
  input: { status?: (typeof campaignStatus.enumValues)[number] } & PageRequest = { limit: 500 },
) {
  authorize(ctx.actor, "reviews.read");
  const mine = peopleReach(ctx.actor) === "all" ? null : ctx.actor.id;
  const rank = sql`(CASE c.status WHEN 'active' THEN 2 WHEN 'draft' THEN 1 ELSE 0 END)`;
  const keys = [rank, sql`c.due_at`, sql`c.id`];
  const page = keysetCondition(input, keys, ["int", "timestamptz", "int"], "desc");
  const where = [input.status ? sql`c.status = ${input.status}::campaign_status` : undefined, page].filter(
    (w) => w !== undefined,
  );
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT c.id, c.name, c.kind::text AS kind, c.status::text AS status, c.starts_at, c.due_at, c.closed_at,
           c.no_response_policy::text AS policy, c.schedule_id, ${rank} AS rank,
           ${mine === null ? sql`coalesce(p.items, 0)` : sql`mi.items`}::int AS items,
           ${mine === null ? sql`coalesce(p.decided, 0)` : sql`mi.decided`}::int AS decided,
           coalesce(r.reviewers, 0)::int AS reviewers, coalesce(r.waiting, 0)::int AS reviewers_waiting,
           coalesce(t.total, 0)::int AS remediation_total, coalesce(t.verified, 0)::int AS remediation_verified,
           coalesce(t.failed, 0)::int AS remediation_failed, coalesce(t.waived, 0)::int AS remediation_waived
      FROM review_campaigns c
      LEFT JOIN review_progress p ON p.campaign_id = c.id
      ${
        mine === null
          ? sql``
          : sql`JOIN LATERAL (SELECT count(*) AS items, count(decision) AS decided FROM review_items i
                               WHERE i.campaign_id = c.id AND i.reviewer_id = ${mine}) mi ON mi.items > 0`
      }
      LEFT JOIN LATERAL (SELECT count(DISTINCT i.reviewer_id) AS reviewers,
                                count(DISTINCT i.reviewer_id) FILTER (WHERE i.decision IS NULL OR i.decision = 'dont_know') AS waiting
                           FROM review_items i WHERE i.campaign_id = c.id AND c.status = 'active') r ON true
      LEFT JOIN LATERAL (SELECT count(*) AS total, count(*) FILTER (WHERE rt.state = 'verified') AS verified,
                                count(*) FILTER (WHERE rt.state = 'waived') AS waived,
                                count(*) FILTER (WHERE rt.state = 'failed') AS failed
                           FROM remediation_tasks rt JOIN review_items ri ON ri.id = rt.origin_id
                          WHERE rt.origin = 'review_item' AND ri.campaign_id = c.id AND c.status = 'closed') t ON true
     ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
     ORDER BY ${keysetOrder(input, keys, "desc")}
     LIMIT ${input.limit + 1}`,
    campaignRow,
  );
  return toPage(
    rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      status: r.status,
      startsAt: r.starts_at,
      dueAt: r.due_at,
      closedAt: r.closed_at,
      noResponsePolicy: r.policy,
      scheduled: r.schedule_id !== null,
      rank: r.rank,
      items: r.items,
      decided: r.decided,
      reviewers: r.reviewers,
      /** Reviewers who still owe decisions; overdue when the campaign is past its due date. */
      reviewersWaiting: r.reviewers_waiting,
      overdueReviewers: r.status === "active" && r.due_at < ctx.now ? r.reviewers_waiting : 0,
      remediation: {
        total: r.remediation_total,
        verified: r.remediation_verified,
        failed: r.remediation_failed,
        waived: r.remediation_waived,
        pending: r.remediation_total - r.remediation_verified - r.remediation_failed - r.remediation_waived,
      },
    })),
    input,
    (r) => [r.rank, r.dueAt, r.id],
  );
}

export type CampaignDetail = Awaited<ReturnType<typeof getCampaign>>;

/**
 * One campaign for the people who run it: its settings and selection in words, progress, what was decided, what the
 * no-response policy did, and its remediation. Reviewers are paged separately (campaignReviewers).
 */
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
      createdAt: reviewCampaigns.createdAt,
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
  const now = ctx.now.toISOString();
  const [decisions, remediation, [progress], definition] = await Promise.all([
    queryRows(
      ctx.db,
      sql`
      SELECT decision::text AS decision, decision_source::text AS source, recommendation::text AS recommendation, count(*)::int AS n
        FROM review_items WHERE campaign_id = ${campaignId} GROUP BY 1, 2, 3`,
      z.object({
        decision: z.enum(reviewDecision.enumValues).nullable(),
        source: z.enum(decisionSource.enumValues).nullable(),
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
    queryRows(
      ctx.db,
      sql`
      SELECT count(*)::int AS items,
             count(*) FILTER (WHERE decision IS NOT NULL AND decision <> 'dont_know')::int AS decided,
             count(DISTINCT reviewer_id)::int AS reviewers,
             count(DISTINCT reviewer_id) FILTER (WHERE decision IS NULL OR decision = 'dont_know')::int AS reviewers_waiting,
             count(*) FILTER (WHERE privileged AND (decision IS NULL OR decision = 'dont_know'))::int AS privileged_open,
             count(*) FILTER (WHERE decision_source = 'policy' AND decision = 'revoke' AND restored_at IS NULL
                                AND rollback_until > ${now}::timestamptz)::int AS restorable
        FROM review_items WHERE campaign_id = ${campaignId}`,
      z.object({
        items: col.int,
        decided: col.int,
        reviewers: col.int,
        reviewers_waiting: col.int,
        privileged_open: col.int,
        restorable: col.int,
      }),
    ),
    c.population?.definition ?? scopeInWords(ctx, c.kind, c.scope),
  ]);
  const count = (states: string[]) => remediation.filter((r) => states.includes(r.state)).reduce((a, r) => a + r.n, 0);
  const total = count([...remediationState.enumValues]);
  const done = count(["verified", "waived"]);
  const overdue = c.status === "active" && c.dueAt < ctx.now;
  return {
    ...c,
    scope: c.scope as CampaignScope,
    population: c.population as CampaignPopulation | null,
    evidence: c.evidence as CampaignEvidence | null,
    definition,
    progress: {
      items: progress.items,
      decided: progress.decided,
      reviewers: progress.reviewers,
      reviewersWaiting: progress.reviewers_waiting,
      overdueReviewers: overdue ? progress.reviewers_waiting : 0,
      privilegedOpen: progress.privileged_open,
      restorable: progress.restorable,
    },
    decisions,
    remediation: {
      total,
      done,
      verified: count(["verified"]),
      waived: count(["waived"]),
      failed: count(["failed"]),
      pending: total - done - count(["failed"]),
      manual: remediation
        .filter((r) => r.mode !== "connector" && r.state !== "verified" && r.state !== "waived")
        .reduce((a, r) => a + r.n, 0),
      byState: remediation,
    },
    complete: c.status === "closed" && total === done,
  };
}

const reviewerRow = z.object({
  id: col.int,
  name: col.text,
  relations: col.textArray,
  items: col.int,
  decided: col.int,
  by_policy: col.int,
  open: col.int,
  privileged_open: col.int,
  reminded_at: col.dateOrNull,
  reminders: col.int,
});

/**
 * Progress by reviewer, aggregated in SQL: assigned, decided by them, still open (overdue once the campaign is due) or
 * left to the no-response policy, and the last reminder; most open first, in keyset pages (a company-wide campaign
 * has thousands of reviewers).
 */
export async function campaignReviewers(ctx: Ctx, campaignId: number, input: PageRequest) {
  authorize(ctx.actor, "reviews.manage");
  const keys = [sql`-r.open`, sql`lower(r.name)`, sql`r.id`];
  const page = keysetCondition(input, keys, ["int", "text", "int"], "asc");
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT * FROM (
      SELECT i.reviewer_id AS id, p.display_name AS name,
             array_agg(DISTINCT i.reviewer_relation::text ORDER BY i.reviewer_relation::text) AS relations,
             count(*)::int AS items,
             count(*) FILTER (WHERE i.decision IS NOT NULL AND i.decision <> 'dont_know' AND i.decision_source <> 'policy')::int AS decided,
             count(*) FILTER (WHERE i.decision_source = 'policy')::int AS by_policy,
             count(*) FILTER (WHERE i.decision IS NULL OR i.decision = 'dont_know')::int AS open,
             count(*) FILTER (WHERE i.privileged AND (i.decision IS NULL OR i.decision = 'dont_know'))::int AS privileged_open,
             max(i.reminded_at) AS reminded_at, coalesce(max(i.reminders), 0)::int AS reminders
        FROM review_items i JOIN identities p ON p.id = i.reviewer_id
       WHERE i.campaign_id = ${campaignId}
       GROUP BY i.reviewer_id, p.display_name) r
     ${page ? sql`WHERE ${page}` : sql``}
     ORDER BY ${keysetOrder(input, keys, "asc")}
     LIMIT ${input.limit + 1}`,
    reviewerRow,
  );
  return toPage(
    rows.map((r) => ({
      id: r.id,
      name: r.name,
      relations: r.relations.filter((x): x is ReviewerRelation =>
        (reviewerRelation.enumValues as readonly string[]).includes(x),
      ),
      items: r.items,
      /** Decided by the reviewer (the no-response policy's decisions are counted apart). */
      decided: r.decided,
      byPolicy: r.by_policy,
      open: r.open,
      privilegedOpen: r.privileged_open,
      remindedAt: r.reminded_at,
      reminders: r.reminders,
    })),
    input,
    (r) => [-r.open, r.name.toLowerCase(), r.id],
  );
}

/** The campaign's remediation tasks (one per revoke or reduce, and per restore), unfinished first, in keyset pages. */
export async function campaignTasks(ctx: Ctx, campaignId: number, input: PageRequest & { unfinished?: boolean }) {
  authorize(ctx.actor, "reviews.manage");
  return listTasksPage(
    ctx,
    { type: "review_item", originIds: sql`SELECT id FROM review_items WHERE campaign_id = ${campaignId}` },
    input,
  );
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
           i.decided_at, i.restored_at, r.display_name AS reviewer
      FROM review_items i JOIN review_campaigns c ON c.id = i.campaign_id JOIN identities r ON r.id = i.reviewer_id
     WHERE i.subject_id = ${identityId} ${scope ? sql`AND i.subject_id IN (SELECT identities.id FROM identities WHERE ${scope})` : sql``}
     ORDER BY coalesce(i.decided_at, c.starts_at) DESC, i.id DESC LIMIT 50`,
    z.object({
      id: col.int,
      campaign_id: col.int,
      campaign: col.text,
      what: col.textOrNull,
      system: col.text,
      decision: z.enum(reviewDecision.enumValues).nullable(),
      source: z.enum(decisionSource.enumValues).nullable(),
      decided_at: col.dateOrNull,
      restored_at: col.dateOrNull,
      reviewer: col.text,
    }),
  );
}

/** Recurring campaigns, enabled first, with their fallback reviewer and their selection in words (names in one query). */
export async function listSchedules(ctx: Ctx) {
  authorize(ctx.actor, "reviews.manage");
  const rows = await ctx.db
    .select({
      schedule: reviewSchedules,
      fallback: sql<
        string | null
      >`(SELECT display_name FROM identities WHERE id = ${reviewSchedules.fallbackReviewerId})`,
      campaigns: sql<number>`(SELECT count(*)::int FROM review_campaigns WHERE schedule_id = ${reviewSchedules.id})`,
    })
    .from(reviewSchedules)
    .orderBy(desc(reviewSchedules.enabled), reviewSchedules.nextRunAt, reviewSchedules.id);
  const scopes = rows.map((r) => normalizeScope(r.schedule.scope));
  const all = (pick: (s: (typeof scopes)[number]) => number[]) => [...new Set(scopes.flatMap(pick))];
  const [names] = await queryRows(
    ctx.db,
    sql`SELECT
      coalesce((SELECT jsonb_object_agg(id, name) FROM departments WHERE id = ANY(${intArray(all((s) => s.departmentIds))})), '{}') AS departments,
      coalesce((SELECT jsonb_object_agg(id, name) FROM systems WHERE id = ANY(${intArray(all((s) => s.systemIds))})), '{}') AS systems,
      coalesce((SELECT jsonb_object_agg(id, name) FROM entitlements WHERE id = ANY(${intArray(all((s) => s.entitlementIds))})), '{}') AS entitlements`,
    z.object({
      departments: col.json(z.record(z.string(), z.string())),
      systems: col.json(z.record(z.string(), z.string())),
      entitlements: col.json(z.record(z.string(), z.string())),
    }),
  );
  const named = (map: Record<string, string>, ids: number[]) =>
    ids
      .map((id) => map[String(id)])
      .filter((n): n is string => Boolean(n))
      .sort();
  return rows.map(({ schedule: s, fallback, campaigns }, i) => ({
    ...s,
    fallback,
    campaigns: Number(campaigns),
    definition: describeScope(s.kind, s.scope, {
      departments: named(names.departments, scopes[i].departmentIds),
      systems: named(names.systems, scopes[i].systemIds),
      entitlements: named(names.entitlements, scopes[i].entitlementIds),
    }),
  }));
}

/**
 * What a campaign's scope can name, for the create form: departments (with their parent, for the tree), systems
 * and entitlements (with their system and whether they are privileged).
 */
export async function campaignScopeOptions(ctx: Ctx) {
  authorize(ctx.actor, "reviews.manage");
  const [departmentRows, systemRows, entitlementRows] = await Promise.all([
    ctx.db
      .select({ id: departments.id, name: departments.name, parentId: departments.parentId })
      .from(departments)
      .orderBy(departments.name),
    ctx.db
      .select({ id: systems.id, name: systems.name, category: systems.category })
      .from(systems)
      .orderBy(systems.name),
    ctx.db
      .select({
        id: entitlements.id,
        name: entitlements.name,
        systemId: entitlements.systemId,
        privileged: entitlements.privileged,
      })
      .from(entitlements)
      .orderBy(entitlements.name, entitlements.id),
  ]);
  return { departments: departmentRows, systems: systemRows, entitlements: entitlementRows };
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
