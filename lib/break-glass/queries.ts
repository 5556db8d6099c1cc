import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { identityPosture } from "@/db/schema";
import { authenticatorType, breakGlassKind, breakGlassReason, criticality } from "@/db/schema/enums";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { searchEligiblePeople } from "@/lib/people/eligible";
import { loadBreakGlassPolicy } from "./policy";

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
  criticality: z.enum(criticality.enumValues).nullable(),
  privileged: z.boolean().nullable(),
  recovery_factor: z.enum(authenticatorType.enumValues).nullable(),
  strength_before: col.intOrNull,
  subject_title: col.textOrNull,
  subject_department: col.textOrNull,
  approvers: col.textArray,
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
           r.ticket_ref, e.name AS entitlement, sy.name AS system, sy.criticality, e.privileged, r.recovery_factor,
           r.subject_strength_at_request::int AS strength_before, s.title AS subject_title, d.name AS subject_department,
           ARRAY(SELECT i.display_name FROM break_glass_approvals a JOIN identities i ON i.id = a.approver_id
                  WHERE a.request_id = r.id AND a.decision = 'approve' ORDER BY a.decided_at) AS approvers,
           r.duration_minutes, r.drill, r.created_at, r.request_expires_at,
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
      LEFT JOIN departments d ON d.id = s.department_id
      LEFT JOIN entitlements e ON e.id = r.entitlement_id LEFT JOIN systems sy ON sy.id = e.system_id
     WHERE r.status = 'pending' AND r.request_expires_at > ${ctx.now.toISOString()}::timestamptz
     ORDER BY r.request_expires_at, r.id
     LIMIT 200`,
    queueRow,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    subject: { id: r.subject_id, name: r.subject, title: r.subject_title, department: r.subject_department },
    requester: r.requester,
    reason: r.reason,
    reasonCode: r.reason_code,
    ticketRef: r.ticket_ref,
    entitlement: r.entitlement,
    system: r.system,
    criticality: r.criticality,
    privileged: r.privileged ?? false,
    recoveryFactor: r.recovery_factor,
    strengthBefore: r.strength_before,
    approvers: r.approvers,
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
 * organisation fell back to something weaker after all. Newest first; `subjectId` keeps one person's (the request
 * page shows them for its subject, whichever of their recoveries each follows).
 */
export async function recoveryDowngrades(ctx: Ctx, opts: { limit?: number; subjectId?: number } = {}) {
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
       ${opts.subjectId === undefined ? sql`` : sql`AND r.subject_id = ${opts.subjectId}`}
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

const entitlementRow = z.object({
  id: col.int,
  name: col.text,
  description: col.textOrNull,
  system_id: col.int,
  system: col.text,
  criticality: z.enum(criticality.enumValues),
  simulated: col.bool,
  held: col.bool,
  open_request: col.intOrNull,
});

/**
 * What the caller may ask emergency access to: privileged entitlements on systems where they have an active
 * account (the grant lands on that account), most critical systems first, each saying whether they already hold
 * it or have a request for it open (the request form offers neither).
 */
export async function emergencyEntitlements(ctx: Ctx) {
  authorize(ctx.actor, "break_glass.request");
  const me = ctx.actor.id ?? -1;
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT e.id, e.name, e.description, s.id AS system_id, s.name AS system, s.criticality, s.connector_simulated AS simulated,
           EXISTS (SELECT 1 FROM grants g WHERE g.account_id = a.id AND g.entitlement_id = e.id AND g.revoked_at IS NULL
                     AND (g.expires_at IS NULL OR g.expires_at > ${ctx.now.toISOString()}::timestamptz)) AS held,
           (SELECT min(r.id) FROM break_glass_requests r WHERE r.subject_id = ${me} AND r.entitlement_id = e.id
               AND r.status IN ('pending', 'approved', 'active'))::int AS open_request
      FROM accounts a
      JOIN systems s ON s.id = a.system_id
      JOIN entitlements e ON e.system_id = s.id AND e.privileged
     WHERE a.identity_id = ${me} AND a.status = 'active'
     ORDER BY array_position(ARRAY['critical', 'high', 'medium', 'low']::criticality[], s.criticality), s.name, e.name, e.id`,
    entitlementRow,
  );
  // Two active accounts on one system list its entitlements once.
  const seen = new Set<number>();
  return rows
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      system: { id: r.system_id, name: r.system, criticality: r.criticality, simulated: r.simulated },
      held: r.held,
      openRequest: r.open_request,
    }));
}
export type EmergencyEntitlement = Awaited<ReturnType<typeof emergencyEntitlements>>[number];

/**
 * What the request form needs: the policy's limits and the caller's own effective strength (recovery may not
 * enrol anything weaker than it, never below AAL2).
 */
export async function requestFormContext(ctx: Ctx) {
  authorize(ctx.actor, "break_glass.request");
  const [policy, [me]] = await Promise.all([
    loadBreakGlassPolicy(ctx.db),
    ctx.db
      .select({ strength: identityPosture.effectiveStrength })
      .from(identityPosture)
      .where(eq(identityPosture.identityId, ctx.actor.id ?? -1)),
  ]);
  return { policy, strength: me?.strength ?? 0 };
}

/**
 * Analysts ask recovery for a locked-out person: active people by name or email, each with the effective strength
 * the recovery may not go below.
 */
export async function searchRecoverySubjects(ctx: Ctx, q: string) {
  authorize(ctx.actor, "break_glass.request_for");
  const people = await searchEligiblePeople(ctx.db, q, { byEmail: true, limit: 10 });
  if (people.length === 0) return [];
  const strengths = await ctx.db
    .select({ id: identityPosture.identityId, strength: identityPosture.effectiveStrength })
    .from(identityPosture)
    .where(
      inArray(
        identityPosture.identityId,
        people.map((p) => p.id),
      ),
    );
  const strengthOf = new Map(strengths.map((s) => [s.id, s.strength]));
  return people.map((p) => ({
    id: p.id,
    name: p.name,
    email: p.email,
    title: p.title,
    department: p.department,
    strength: strengthOf.get(p.id) ?? 0,
  }));
}
export type RecoverySubject = Awaited<ReturnType<typeof searchRecoverySubjects>>[number];

/** The approval policy as it stands, for the admins' policy page (and anyone who asks: it is no secret). */
export async function readBreakGlassPolicy(ctx: Ctx) {
  authorize(ctx.actor, "break_glass.request");
  return loadBreakGlassPolicy(ctx.db);
}
