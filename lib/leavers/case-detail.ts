import "server-only";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { identities } from "@/db/schema";
import { authorize, inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { searchEligiblePeople } from "@/lib/people/eligible";
import { listTasks, type TaskRow } from "@/lib/remediation/queries";
import { riskScore } from "./rules";

const q = async <T>(ctx: Ctx, query: ReturnType<typeof sql>) => await queryRows<T>(ctx.db, query);

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

const date = (v: unknown) => (v ? new Date(v as string) : null);

/** One case with its tasks (grouped by system on the page) and its timeline from the audit log. */
export async function getCase(
  ctx: Ctx,
  caseId: number,
): Promise<{ header: CaseHeader; tasks: TaskRow[]; timeline: TimelineEvent[] }> {
  authorize(ctx.actor, "leavers.read");
  const scope = inTeam(ctx.actor, sql.raw("c.identity_id"));
  const [h] = await q<Record<string, unknown>>(
    ctx,
    sql`
    SELECT c.*, c.status::text AS status, c.reason::text AS reason, p.display_name AS person, p.email, p.employee_number, p.title,
           d.name AS department, p.manager_id, m.display_name AS manager, a.display_name AS assignee, b.name AS batch
      FROM leaver_cases c JOIN identities p ON p.id = c.identity_id
      LEFT JOIN departments d ON d.id = p.department_id LEFT JOIN identities m ON m.id = p.manager_id
      LEFT JOIN identities a ON a.id = c.assignee_id LEFT JOIN leaver_batches b ON b.id = c.batch_id
     WHERE c.id = ${caseId} ${scope ? sql`AND ${scope}` : sql``}`,
  );
  if (!h) throw new NotFound("That leaver case");
  const header: CaseHeader = {
    id: Number(h.id),
    identityId: Number(h.identity_id),
    person: String(h.person),
    email: (h.email as string) ?? null,
    employeeNumber: (h.employee_number as string) ?? null,
    title: (h.title as string) ?? null,
    department: (h.department as string) ?? null,
    managerId: h.manager_id === null ? null : Number(h.manager_id),
    manager: (h.manager as string) ?? null,
    reason: h.reason as CaseHeader["reason"],
    status: h.status as CaseHeader["status"],
    effectiveAt: date(h.effective_at)!,
    slaDueAt: date(h.sla_due_at)!,
    lastDay: h.last_day ? String(h.last_day).slice(0, 10) : null,
    openedAt: date(h.opened_at)!,
    closedAt: date(h.closed_at),
    cancelledAt: date(h.cancelled_at),
    reopenedAt: date(h.reopened_at),
    driftWatchUntil: date(h.drift_watch_until),
    lastDriftCheckAt: date(h.last_drift_check_at),
    assigneeId: h.assignee_id === null ? null : Number(h.assignee_id),
    assignee: (h.assignee as string) ?? null,
    batchId: h.batch_id === null ? null : Number(h.batch_id),
    batch: (h.batch as string) ?? null,
    tasksTotal: Number(h.tasks_total),
    tasksVerified: Number(h.tasks_verified),
    tasksFailed: Number(h.tasks_failed),
    privilegedOutstanding: Number(h.privileged_outstanding),
    bulkOutstanding: Number(h.bulk_outstanding),
    waived: Number(h.tasks_waived),
    risk: 0,
  };
  header.risk = riskScore(
    { ...header, outstanding: header.tasksTotal - header.tasksVerified - header.waived },
    ctx.now,
  );

  const tasks = await listTasks(ctx, { type: "leaver_case", id: caseId });

  // Events about the case and about its tasks, through the (target_type, target_id) index.
  const taskIds = tasks.map((t) => String(t.id));
  const timeline = await q<Record<string, unknown>>(
    ctx,
    sql`
    SELECT id, occurred_at, actor_label, action, target_type, target_label, after FROM (
      SELECT * FROM audit_events WHERE target_type = 'leaver_case' AND target_id = ${String(caseId)}
      UNION ALL
      -- Tasks were 'revocation_task' before the remediation engine was shared; older events keep that name.
      SELECT * FROM audit_events WHERE target_type IN ('remediation_task', 'revocation_task')
                                   AND target_id = ANY(${sql.param(taskIds)}::text[])
    ) e ORDER BY id DESC LIMIT 300`,
  );
  return {
    header,
    tasks,
    timeline: timeline.map((e) => ({
      id: Number(e.id),
      occurredAt: date(e.occurred_at)!,
      actor: String(e.actor_label),
      action: String(e.action),
      targetType: String(e.target_type),
      targetLabel: (e.target_label as string) ?? null,
      after: typeof e.after === "string" ? JSON.parse(e.after) : e.after,
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
