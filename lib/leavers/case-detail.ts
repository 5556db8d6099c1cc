import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { departments, identities, leaverBatches, leaverCases } from "@/db/schema";
import { textArray } from "@/db/sql";
import { authorize, inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { searchEligiblePeople } from "@/lib/people/eligible";
import { listTasks, type TaskRow } from "@/lib/remediation/queries";
import { riskExplained, riskScore } from "./rules";

export type CaseHeader = {
  id: number;
  identityId: number;
  person: string;
  email: string | null;
  employeeNumber: string | null;
  title: string | null;
  department: string | null;
  managerId: number | null;
  manager: string | null;
  reason: "voluntary" | "involuntary" | "layoff" | "contract_end";
  status: "open" | "in_progress" | "closed" | "reopened";
  effectiveAt: Date;
  slaDueAt: Date;
  lastDay: string | null;
  openedAt: Date;
  closedAt: Date | null;
  /** Called off before it took effect (the person was re-activated, lib/leavers/commands/cancel.ts). */
  cancelledAt: Date | null;
  reopenedAt: Date | null;
  driftWatchUntil: Date | null;
  lastDriftCheckAt: Date | null;
  assigneeId: number | null;
  assignee: string | null;
  batchId: number | null;
  batch: string | null;
  tasksTotal: number;
  tasksVerified: number;
  tasksFailed: number;
  privilegedOutstanding: number;
  bulkOutstanding: number;
  risk: number;
  /** What the score is made of, in words. */
  riskWhy: string;
  waived: number;
};

export type { TaskRow };

export type TimelineEvent = {
  id: number;
  occurredAt: Date;
  actor: string;
  action: string;
  targetType: string;
  targetLabel: string | null;
  after: unknown;
};

const timelineRow = z.object({
  id: col.int,
  occurred_at: col.date,
  actor_label: col.text,
  action: col.text,
  target_type: col.text,
  target_label: col.textOrNull,
  after: col.json(z.unknown()),
});

/** One case with its tasks (grouped by system on the page) and its timeline from the audit log. */
export async function getCase(
  ctx: Ctx,
  caseId: number,
): Promise<{ header: CaseHeader; tasks: TaskRow[]; timeline: TimelineEvent[] }> {
  authorize(ctx.actor, "leavers.read");
  const person = alias(identities, "p");
  const manager = alias(identities, "m");
  const assignee = alias(identities, "a");
  const c = leaverCases;
  const [h] = await ctx.db
    .select({
      id: c.id,
      identityId: c.identityId,
      person: person.displayName,
      email: person.email,
      employeeNumber: person.employeeNumber,
      title: person.title,
      department: departments.name,
      managerId: person.managerId,
      manager: manager.displayName,
      reason: c.reason,
      status: c.status,
      effectiveAt: c.effectiveAt,
      slaDueAt: c.slaDueAt,
      lastDay: c.lastDay,
      openedAt: c.openedAt,
      closedAt: c.closedAt,
      cancelledAt: c.cancelledAt,
      reopenedAt: c.reopenedAt,
      driftWatchUntil: c.driftWatchUntil,
      lastDriftCheckAt: c.lastDriftCheckAt,
      assigneeId: c.assigneeId,
      assignee: assignee.displayName,
      batchId: c.batchId,
      batch: leaverBatches.name,
      tasksTotal: c.tasksTotal,
      tasksVerified: c.tasksVerified,
      tasksFailed: c.tasksFailed,
      privilegedOutstanding: c.privilegedOutstanding,
      bulkOutstanding: c.bulkOutstanding,
      waived: c.tasksWaived,
    })
    .from(c)
    .innerJoin(person, eq(person.id, c.identityId))
    .leftJoin(departments, eq(departments.id, person.departmentId))
    .leftJoin(manager, eq(manager.id, person.managerId))
    .leftJoin(assignee, eq(assignee.id, c.assigneeId))
    .leftJoin(leaverBatches, eq(leaverBatches.id, c.batchId))
    .where(and(eq(c.id, caseId), inTeam(ctx.actor, c.identityId)));
  if (!h) throw new NotFound("That leaver case");
  const input = { ...h, outstanding: h.tasksTotal - h.tasksVerified - h.waived };
  const header: CaseHeader = { ...h, risk: riskScore(input, ctx.now), riskWhy: riskExplained(input, ctx.now) };

  const tasks = await listTasks(ctx, { type: "leaver_case", id: caseId });

  // Events about the case and about its tasks, through the (target_type, target_id) index.
  const taskIds = tasks.map((t) => String(t.id));
  const timeline = await queryRows(
    ctx.db,
    sql`
    SELECT id, occurred_at, actor_label, action, target_type, target_label, after FROM (
      SELECT * FROM audit_events WHERE target_type = 'leaver_case' AND target_id = ${String(caseId)}
      UNION ALL
      -- Tasks were 'revocation_task' before the remediation engine was shared; older events keep that name.
      SELECT * FROM audit_events WHERE target_type IN ('remediation_task', 'revocation_task')
                                   AND target_id = ANY(${textArray(taskIds)})
    ) e ORDER BY id DESC LIMIT 300`,
    timelineRow,
  );
  return {
    header,
    tasks,
    timeline: timeline.map((e) => ({
      id: e.id,
      occurredAt: e.occurred_at,
      actor: e.actor_label,
      action: e.action,
      targetType: e.target_type,
      targetLabel: e.target_label,
      after: e.after,
    })),
  };
}

/**
 * People a non-human identity can be handed to (eligible owners, by name), for the handover picker. A manager
 * hands over within their own team, like every other manager read.
 */
export async function searchOwners(
  ctx: Ctx,
  query: string,
  limit = 10,
): Promise<{ id: number; name: string; department: string | null }[]> {
  authorize(ctx.actor, "leavers.handover");
  const people = await searchEligiblePeople(ctx.db, query, { scope: inTeam(ctx.actor, identities.id), limit });
  return people.map((p) => ({ id: p.id, name: p.name, department: p.department }));
}
