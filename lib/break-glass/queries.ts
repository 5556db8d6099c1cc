import "server-only";
import { and, desc, eq, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { breakGlassRequests, identities } from "@/db/schema";
import { authenticatorType, breakGlassKind, breakGlassReason } from "@/db/schema/enums";
import { authorize, can } from "@/lib/authz";
import type { Ctx } from "@/lib/context";

const requester = alias(identities, "requester");
const subject = alias(identities, "subject");

/**
 * Break-glass requests: approvers, analysts and admins see all; anyone else sees the requests they made
 * or that are about them.
 */
export async function listRequests(ctx: Ctx, opts: { limit?: number } = {}) {
  authorize(ctx.actor, "break_glass.request");
  const seeAll = can(ctx.actor, "break_glass.read");
  const own =
    ctx.actor.id === null
      ? sql`false`
      : or(eq(breakGlassRequests.requesterId, ctx.actor.id), eq(breakGlassRequests.subjectId, ctx.actor.id));
  return ctx.db
    .select({
      id: breakGlassRequests.id,
      kind: breakGlassRequests.kind,
      status: breakGlassRequests.status,
      reason: breakGlassRequests.reason,
      requester: requester.displayName,
      subject: subject.displayName,
      subjectId: subject.id,
      durationMinutes: breakGlassRequests.durationMinutes,
      createdAt: breakGlassRequests.createdAt,
      expiresAt: breakGlassRequests.expiresAt,
      requestExpiresAt: breakGlassRequests.requestExpiresAt,
      requiredApprovals: breakGlassRequests.requiredApprovals,
      approvals: sql<number>`(SELECT count(*) FROM break_glass_approvals a WHERE a.request_id = ${breakGlassRequests.id} AND a.decision = 'approve')::int`,
    })
    .from(breakGlassRequests)
    .innerJoin(requester, eq(requester.id, breakGlassRequests.requesterId))
    .innerJoin(subject, eq(subject.id, breakGlassRequests.subjectId))
    .where(and(seeAll ? undefined : own))
    .orderBy(sql`${breakGlassRequests.status} = 'pending' DESC`, desc(breakGlassRequests.createdAt))
    .limit(opts.limit ?? 200);
}

const queueRow = z.object({
  id: col.int,
  kind: z.enum(breakGlassKind.enumValues),
  subject_id: col.int,
  subject: col.text,
  requester: col.text,
  reason: col.text,
  reason_code: z.enum(breakGlassReason.enumValues),
  ticket_ref: col.textOrNull,
  entitlement: col.textOrNull,
  system: col.textOrNull,
  privileged: z.boolean().nullable(),
  duration_minutes: col.int,
  drill: col.bool,
  created_at: col.date,
  request_expires_at: col.date,
  approvals: col.int,
  required: col.int,
  earlier: col.int,
  blocked: col.textOrNull,
});

/**
 * The approvals queue: pending requests, oldest deadline first, each with whether the caller may act on it and, if
 * not, why (they asked for it, it is for them, they manage the subject, they already decided). The subject's earlier
 * break-glass count gives the history at a glance.
 */
export async function approvalsQueue(ctx: Ctx) {
  authorize(ctx.actor, "break_glass.approve");
  const me = ctx.actor.id ?? -1;
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT r.id, r.kind, r.subject_id, s.display_name AS subject, q.display_name AS requester, r.reason, r.reason_code,
           r.ticket_ref, e.name AS entitlement, sy.name AS system, e.privileged, r.duration_minutes, r.drill, r.created_at,
           r.request_expires_at,
           (SELECT count(*) FROM break_glass_approvals a WHERE a.request_id = r.id AND a.decision = 'approve')::int AS approvals,
           r.required_approvals::int AS required,
           (SELECT count(*) FROM break_glass_requests h WHERE h.subject_id = r.subject_id AND h.id <> r.id)::int AS earlier,
           CASE WHEN r.requester_id = ${me} THEN 'You asked for it'
                WHEN r.subject_id = ${me} THEN 'It is for you'
                WHEN EXISTS (SELECT 1 FROM break_glass_approvals a WHERE a.request_id = r.id AND a.approver_id = ${me}) THEN 'You have decided'
                WHEN ${me} IN (WITH RECURSIVE chain(id, depth) AS (
                        SELECT manager_id, 1 FROM identities WHERE id = r.subject_id AND manager_id IS NOT NULL
                        UNION SELECT i.manager_id, c.depth + 1 FROM identities i JOIN chain c ON i.id = c.id
                         WHERE i.manager_id IS NOT NULL AND c.depth < 20) SELECT id FROM chain)
                  THEN 'You are in the subject''s manager chain'
           END AS blocked
      FROM break_glass_requests r
      JOIN identities s ON s.id = r.subject_id JOIN identities q ON q.id = r.requester_id
      LEFT JOIN entitlements e ON e.id = r.entitlement_id LEFT JOIN systems sy ON sy.id = e.system_id
     WHERE r.status = 'pending' AND r.request_expires_at > ${ctx.now.toISOString()}::timestamptz
     ORDER BY r.request_expires_at, r.id
     LIMIT 200`,
    queueRow,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    subject: { id: r.subject_id, name: r.subject },
    requester: r.requester,
    reason: r.reason,
    reasonCode: r.reason_code,
    ticketRef: r.ticket_ref,
    entitlement: r.entitlement,
    system: r.system,
    privileged: r.privileged ?? false,
    durationMinutes: r.duration_minutes,
    drill: r.drill,
    createdAt: r.created_at,
    requestExpiresAt: r.request_expires_at,
    approvals: r.approvals,
    required: r.required,
    earlierRequests: r.earlier,
    blocked: r.blocked,
  }));
}

const overviewRow = z.object({
  active: col.int,
  pending: col.int,
  overdue_reviews: col.int,
  last_drill_at: col.dateOrNull,
  drill_minutes_to_approval: z.coerce.number().nullable(),
});

/**
 * What analysts and the dashboard show prominently: active break-glass now, requests waiting, post-incident
 * reviews overdue, and the last recovery drill with its time to approval.
 */
export async function breakGlassOverview(ctx: Ctx) {
  authorize(ctx.actor, "dashboard.view");
  const now = ctx.now.toISOString();
  const [o] = await queryRows(
    ctx.db,
    sql`
    SELECT (SELECT count(*) FROM break_glass_requests WHERE status = 'active' AND NOT drill)::int AS active,
           (SELECT count(*) FROM break_glass_requests WHERE status = 'pending' AND request_expires_at > ${now}::timestamptz)::int AS pending,
           (SELECT count(*) FROM break_glass_requests
             WHERE post_review_due_at < ${now}::timestamptz AND post_review_at IS NULL AND NOT drill)::int AS overdue_reviews,
           d.activated_at AS last_drill_at,
           round(extract(epoch FROM d.approved_at - d.created_at) / 60.0, 1) AS drill_minutes_to_approval
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (SELECT activated_at, approved_at, created_at FROM break_glass_requests
                          WHERE drill AND activated_at IS NOT NULL ORDER BY activated_at DESC LIMIT 1) d ON true`,
    overviewRow,
  );
  return {
    active: o.active,
    pending: o.pending,
    overdueReviews: o.overdue_reviews,
    lastDrill: o.last_drill_at ? { at: o.last_drill_at, minutesToApproval: o.drill_minutes_to_approval } : null,
  };
}

const downgradeRow = z.object({
  request_id: col.int,
  subject_id: col.int,
  subject: col.text,
  activated_at: col.date,
  min_strength: col.int,
  factor_id: col.int,
  factor: z.enum(authenticatorType.enumValues),
  strength: col.int,
  enrolled_at: col.date,
});

/**
 * The "recovery downgrade" finding: after an approved recovery, the subject's factor records (imported from the IdP,
 * where the pass could not enforce the floor itself) show a new active factor weaker than the pass allowed — the
 * organisation fell back to something weaker after all. Newest first.
 */
export async function recoveryDowngrades(ctx: Ctx, opts: { limit?: number } = {}) {
  authorize(ctx.actor, "break_glass.read");
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT r.id AS request_id, r.subject_id, s.display_name AS subject, r.activated_at, p.min_strength,
           a.id AS factor_id, a.type AS factor, factor_strength(a.type, a.usage, a.user_verification)::int AS strength,
           a.enrolled_at
      FROM break_glass_requests r
      JOIN enrolment_passes p ON p.request_id = r.id
      JOIN identities s ON s.id = r.subject_id
      JOIN authenticators a ON a.identity_id = r.subject_id AND a.status = 'active' AND a.enrolled_at >= r.activated_at
     WHERE r.kind = 'account_recovery' AND NOT r.drill AND r.activated_at IS NOT NULL
       AND factor_strength(a.type, a.usage, a.user_verification) < p.min_strength
     ORDER BY a.enrolled_at DESC, a.id DESC
     LIMIT ${opts.limit ?? 100}`,
    downgradeRow,
  );
  return rows.map((r) => ({
    requestId: r.request_id,
    subject: { id: r.subject_id, name: r.subject },
    recoveredAt: r.activated_at,
    minStrength: r.min_strength,
    factor: { id: r.factor_id, type: r.factor, strength: r.strength, enrolledAt: r.enrolled_at },
  }));
}
