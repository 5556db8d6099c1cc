import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import {
  auditEvents,
  breakGlassApprovals,
  breakGlassRequests,
  enrolmentPasses,
  identities,
  remediationTasks,
} from "@/db/schema";
import { breakGlassKind } from "@/db/schema/enums";
import { intArray } from "@/db/sql";
import { authorize, breakGlassScope, can } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { approverCandidates } from "./eligible";
import { loadBreakGlassPolicy } from "./policy";
import { recoveryDowngrades } from "./queries";
import { type BreakGlassKind, type BreakGlassPolicy, uncoverableGroups } from "./rules";

const approver = alias(identities, "approver");

/**
 * One request as its page shows it: the request, approvals, who is eligible to approve (and who is not, with why),
 * the grant's remediation tasks, passes (never their secret), the audit timeline, and for a recovery any "recovery
 * downgrade" finding about its subject. Approvers, analysts and admins see any request; others only requests they
 * made or that are about them (NotFound otherwise).
 */
export async function getBreakGlassRequest(ctx: Ctx, requestId: number) {
  authorize(ctx.actor, "break_glass.request");
  const [row] = await ctx.db
    .select({
      request: breakGlassRequests,
      requester: sql<string>`(SELECT display_name FROM identities WHERE id = ${breakGlassRequests.requesterId})`,
      subject: sql<string>`(SELECT display_name FROM identities WHERE id = ${breakGlassRequests.subjectId})`,
      entitlement: sql<string | null>`(SELECT name FROM entitlements WHERE id = ${breakGlassRequests.entitlementId})`,
      system: sql<
        string | null
      >`(SELECT s.name FROM entitlements e JOIN systems s ON s.id = e.system_id WHERE e.id = ${breakGlassRequests.entitlementId})`,
      systemOwnerId: sql<
        number | null
      >`(SELECT s.owner_id FROM entitlements e JOIN systems s ON s.id = e.system_id WHERE e.id = ${breakGlassRequests.entitlementId})`,
    })
    .from(breakGlassRequests)
    .where(and(eq(breakGlassRequests.id, requestId), breakGlassScope(ctx.actor, breakGlassRequests.id)));
  if (!row) throw new NotFound("That break-glass request");
  const r = row.request;
  const policy = await loadBreakGlassPolicy(ctx.db);
  const [approvals, candidates, tasks, passes, timeline] = await Promise.all([
    ctx.db
      .select({
        id: breakGlassApprovals.id,
        approverId: breakGlassApprovals.approverId,
        approver: approver.displayName,
        decision: breakGlassApprovals.decision,
        comment: breakGlassApprovals.comment,
        checklist: breakGlassApprovals.checklist,
        durationMinutes: breakGlassApprovals.durationMinutes,
        groupLabel: breakGlassApprovals.groupLabel,
        decidedAt: breakGlassApprovals.decidedAt,
      })
      .from(breakGlassApprovals)
      .innerJoin(approver, eq(approver.id, breakGlassApprovals.approverId))
      .where(eq(breakGlassApprovals.requestId, requestId))
      .orderBy(asc(breakGlassApprovals.decidedAt)),
    approverCandidates(
      ctx.db,
      { requesterId: r.requesterId, subjectId: r.subjectId, systemOwnerId: row.systemOwnerId },
      policy,
    ),
    ctx.db
      .select({
        id: remediationTasks.id,
        action: remediationTasks.action,
        state: remediationTasks.state,
        mode: remediationTasks.mode,
        label: remediationTasks.targetLabel,
        verification: remediationTasks.verification,
        simulated: remediationTasks.simulated,
        lastError: remediationTasks.lastError,
        updatedAt: remediationTasks.updatedAt,
      })
      .from(remediationTasks)
      .where(and(eq(remediationTasks.origin, "break_glass"), eq(remediationTasks.originId, requestId)))
      .orderBy(asc(remediationTasks.id)),
    ctx.db
      .select({
        id: enrolmentPasses.id,
        issuedAt: enrolmentPasses.issuedAt,
        minStrength: enrolmentPasses.minStrength,
        external: enrolmentPasses.external,
        expiresAt: enrolmentPasses.expiresAt,
        usedAt: enrolmentPasses.usedAt,
        usedFor: enrolmentPasses.usedFor,
        voidedAt: enrolmentPasses.voidedAt,
      })
      .from(enrolmentPasses)
      .where(eq(enrolmentPasses.requestId, requestId)),
    can(ctx.actor, "break_glass.read")
      ? ctx.db
          .select({
            id: auditEvents.id,
            at: auditEvents.occurredAt,
            action: auditEvents.action,
            actor: auditEvents.actorLabel,
            hash: auditEvents.hash,
          })
          .from(auditEvents)
          .where(and(eq(auditEvents.targetType, "break_glass_request"), eq(auditEvents.targetId, String(requestId))))
          .orderBy(desc(auditEvents.id))
          .limit(100)
      : Promise.resolve([]),
  ]);
  // A recovery's page warns its readers when the subject later enrolled a factor weaker than a recovery's pass
  // allowed (this one's or an earlier one's): the organisation fell back to something weaker after all.
  const downgrades =
    r.kind === "account_recovery" && can(ctx.actor, "break_glass.read")
      ? await recoveryDowngrades(ctx, { subjectId: r.subjectId })
      : [];
  const me = ctx.actor.id;
  const mine = candidates.find((c) => c.id === me);
  return {
    ...row,
    policy,
    approvals,
    candidates,
    tasks,
    passes,
    timeline,
    downgrades,
    you: {
      canDecide:
        r.status === "pending" &&
        can(ctx.actor, "break_glass.approve") &&
        Boolean(mine) &&
        !mine?.excluded &&
        !approvals.some((a) => a.approverId === me),
      whyNot: mine?.excluded ?? null,
      isSubject: r.subjectId === me,
      isRequester: r.requesterId === me,
    },
  };
}
export type BreakGlassDetail = Awaited<ReturnType<typeof getBreakGlassRequest>>;

const health = z.object({
  approvers: col.int,
  ready: col.int,
  weak: col.int,
  inactive: col.int,
});

/**
 * Approver-pool health, before anyone needs it: how many approvers could approve today (active, at AAL2 or
 * better), and whether the policy can be met at all — enough of them, at least one in each required group, and
 * for each kind of request no required group it can never cover (the system owner, for a recovery).
 */
export async function approverPoolHealth(ctx: Ctx) {
  authorize(ctx.actor, "dashboard.view");
  return poolHealthOf(ctx, await loadBreakGlassPolicy(ctx.db));
}

/** The same check for a policy an administrator is editing, before it is saved. */
export async function previewPoolHealth(ctx: Ctx, draft: BreakGlassPolicy) {
  authorize(ctx.actor, "policies.manage");
  return poolHealthOf(ctx, draft);
}

async function poolHealthOf(ctx: Ctx, policy: BreakGlassPolicy) {
  const [h] = await queryRows(
    ctx.db,
    sql`SELECT count(*)::int AS approvers,
               count(*) FILTER (WHERE i.kind = 'human' AND i.status = 'active' AND coalesce(p.effective_strength, 0) >= 3)::int AS ready,
               count(*) FILTER (WHERE i.status = 'active' AND coalesce(p.effective_strength, 0) < 3)::int AS weak,
               count(*) FILTER (WHERE i.status <> 'active')::int AS inactive
          FROM console_roles r JOIN identities i ON i.id = r.identity_id
          LEFT JOIN identity_posture p ON p.identity_id = i.id
         WHERE r.role = 'approver'`,
    health,
  );
  const groupGaps: string[] = [];
  for (const g of policy.groups) {
    if (g.kind !== "department") continue;
    const [n] = await queryRows(
      ctx.db,
      sql`SELECT count(*)::int AS n FROM console_roles r JOIN identities i ON i.id = r.identity_id
            LEFT JOIN identity_posture p ON p.identity_id = i.id
           WHERE r.role = 'approver' AND i.status = 'active' AND coalesce(p.effective_strength, 0) >= 3
             AND i.department_id = ANY(${intArray(g.departmentIds)})`,
      z.object({ n: col.int }),
    );
    if (n.n === 0) groupGaps.push(g.label);
  }
  // A group no request of a kind can cover (the system owner, for a recovery) makes the policy unmeetable for it.
  const uncoverable = Object.fromEntries(
    breakGlassKind.enumValues.map((kind) => [kind, uncoverableGroups(policy, kind).map((g) => g.label)]),
  ) as Record<BreakGlassKind, string[]>;
  const poolOk = h.ready >= policy.requiredApprovals && groupGaps.length === 0;
  const canBeMetFor = {
    emergency_access: poolOk && uncoverable.emergency_access.length === 0,
    account_recovery: poolOk && uncoverable.account_recovery.length === 0,
  } satisfies Record<BreakGlassKind, boolean>;
  // Requester, subject and the subject's managers are excluded per request: keep one spare beyond the minimum.
  const problems = [
    h.ready < policy.requiredApprovals
      ? `Only ${h.ready} approver${h.ready === 1 ? "" : "s"} can approve today; the policy needs ${policy.requiredApprovals}.`
      : h.ready < policy.requiredApprovals + 1
        ? `No spare approver: if one is the subject's manager or away, the policy cannot be met.`
        : null,
    h.weak ? `${h.weak} approver${h.weak === 1 ? " signs" : "s sign"} in below AAL2.` : null,
    h.inactive
      ? `${h.inactive} approver${h.inactive === 1 ? " is" : "s are"} a leaver or disabled and still hold the role.`
      : null,
    ...groupGaps.map((g) => `Nobody who can approve today is in the required group "${g}".`),
    ...uncoverable.account_recovery.map(
      (g) =>
        `Account recovery cannot be approved: the required group "${g}" is the owner of the system asked for, and a recovery asks for no system.`,
    ),
  ].filter((p): p is string => p !== null);
  return {
    ...h,
    required: policy.requiredApprovals,
    /** Every kind of request can be met; `canBeMetFor` says which cannot. */
    canBeMet: canBeMetFor.emergency_access && canBeMetFor.account_recovery,
    canBeMetFor,
    problems,
  };
}
