import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { authorize, inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { containsPattern } from "@/lib/sql-like";
import { needsSecondConfirmation, riskScore } from "./rules";

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

export type TaskRow = {
  id: number;
  systemId: number;
  system: string;
  systemSlug: string;
  connectorKind: string;
  systemSimulated: boolean;
  criticality: string;
  kind: string;
  targetType: string;
  targetId: number;
  targetLabel: string;
  privileged: boolean;
  bulkData: boolean;
  priority: number;
  state: "pending" | "running" | "done" | "verified" | "failed" | "waived";
  mode: "connector" | "manual" | "handover";
  attempts: number;
  lastError: string | null;
  errorRetryable: boolean | null;
  notBefore: Date | null;
  leaseUntil: Date | null;
  executedAt: Date | null;
  verifiedAt: Date | null;
  verification: string | null;
  outcome: string | null;
  simulated: boolean;
  actedConnector: string | null;
  evidence: Record<string, unknown> | null;
  confirmedBy: string | null;
  confirmedById: number | null;
  secondConfirmedBy: string | null;
  waivedBy: string | null;
  waivedReason: string | null;
  assignee: string | null;
  newOwnerId: number | null;
  newOwner: string | null;
  currentOwner: string | null;
  needsSecond: boolean;
};

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
           d.name AS department, p.manager_id, m.display_name AS manager, a.display_name AS assignee, b.name AS batch,
           (SELECT count(*) FROM revocation_tasks t WHERE t.case_id = c.id AND t.state = 'waived')::int AS waived
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
    waived: Number(h.waived),
    risk: 0,
  };
  header.risk = riskScore(
    { ...header, outstanding: header.tasksTotal - header.tasksVerified - header.waived },
    ctx.now,
  );

  const raw = await q<Record<string, unknown>>(
    ctx,
    sql`
    SELECT t.*, t.kind::text AS kind, t.state::text AS state, s.name AS system, s.slug AS system_slug, s.connector_kind::text AS system_connector,
           s.connector_simulated AS system_simulated, s.criticality::text AS criticality,
           cb.display_name AS confirmed_by, sb.display_name AS second_confirmed_by, wb.display_name AS waived_by,
           asg.display_name AS assignee, nw.display_name AS new_owner, co.display_name AS current_owner
      FROM revocation_tasks t JOIN systems s ON s.id = t.system_id
      LEFT JOIN identities cb ON cb.id = t.confirmed_by_id LEFT JOIN identities sb ON sb.id = t.second_confirmed_by_id
      LEFT JOIN identities wb ON wb.id = t.waived_by_id LEFT JOIN identities asg ON asg.id = t.assignee_id
      LEFT JOIN identities nw ON nw.id = t.new_owner_id
      LEFT JOIN identities nhi ON t.target_type = 'identity' AND nhi.id = t.target_id LEFT JOIN identities co ON co.id = nhi.owner_id
     WHERE t.case_id = ${caseId}
     ORDER BY s.name, t.priority, t.id`,
  );
  const tasks: TaskRow[] = raw.map((t) => ({
    id: Number(t.id),
    systemId: Number(t.system_id),
    system: String(t.system),
    systemSlug: String(t.system_slug),
    connectorKind: String(t.system_connector),
    systemSimulated: Boolean(t.system_simulated),
    criticality: String(t.criticality),
    kind: String(t.kind),
    targetType: String(t.target_type),
    targetId: Number(t.target_id),
    targetLabel: String(t.target_label),
    privileged: Boolean(t.privileged),
    bulkData: Boolean(t.bulk_data),
    priority: Number(t.priority),
    state: t.state as TaskRow["state"],
    mode: t.mode as TaskRow["mode"],
    attempts: Number(t.attempts),
    lastError: (t.last_error as string) ?? null,
    errorRetryable: (t.error_retryable as boolean) ?? null,
    notBefore: date(t.not_before),
    leaseUntil: date(t.lease_until),
    executedAt: date(t.executed_at),
    verifiedAt: date(t.verified_at),
    verification: (t.verification as string) ?? null,
    outcome: (t.outcome as string) ?? null,
    simulated: Boolean(t.simulated),
    actedConnector: (t.connector_kind as string) ?? null,
    evidence: (typeof t.evidence === "string" ? JSON.parse(t.evidence) : t.evidence) as Record<string, unknown> | null,
    confirmedBy: (t.confirmed_by as string) ?? null,
    confirmedById: t.confirmed_by_id === null ? null : Number(t.confirmed_by_id),
    secondConfirmedBy: (t.second_confirmed_by as string) ?? null,
    waivedBy: (t.waived_by as string) ?? null,
    waivedReason: (t.waived_reason as string) ?? null,
    assignee: (t.assignee as string) ?? null,
    newOwnerId: t.new_owner_id === null ? null : Number(t.new_owner_id),
    newOwner: (t.new_owner as string) ?? null,
    currentOwner: (t.current_owner as string) ?? null,
    needsSecond: needsSecondConfirmation({
      privileged: Boolean(t.privileged),
      systemCriticality: t.criticality as "low",
    }),
  }));

  // Events about the case and about its tasks, through the (target_type, target_id) index.
  const taskIds = `{${tasks
    .map((t) => t.id)
    .map(String)
    .join(",")}}`;
  const timeline = await q<Record<string, unknown>>(
    ctx,
    sql`
    SELECT id, occurred_at, actor_label, action, target_type, target_label, after FROM (
      SELECT * FROM audit_events WHERE target_type = 'leaver_case' AND target_id = ${String(caseId)}
      UNION ALL
      SELECT * FROM audit_events WHERE target_type = 'revocation_task' AND target_id = ANY(${taskIds}::text[])
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

/** Active people a non-human identity can be handed to (search by name), for the handover picker. */
export async function searchOwners(
  ctx: Ctx,
  query: string,
  limit = 10,
): Promise<{ id: number; name: string; department: string | null }[]> {
  authorize(ctx.actor, "leavers.handover");
  const like = containsPattern(query);
  const rows = await q<{ id: number; name: string; department: string | null }>(
    ctx,
    sql`
    SELECT i.id, i.display_name AS name, d.name AS department FROM identities i LEFT JOIN departments d ON d.id = i.department_id
     WHERE i.kind = 'human' AND i.status = 'active' AND lower(i.display_name) LIKE ${like}
     ORDER BY lower(i.display_name), i.id LIMIT ${limit}`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
