import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { allPages, utc } from "@/lib/csv";
import { listCases, type QueueFilters } from "./queries";

export const QUEUE_CSV_HEADER = [
  "case_id",
  "person",
  "employee_number",
  "department",
  "reason",
  "status",
  "effective_at_utc",
  "sla_due_at_utc",
  "sla_breached",
  "risk",
  "tasks_verified",
  "tasks_total",
  "tasks_failed",
  "privileged_outstanding",
  "bulk_outstanding",
  "assignee",
  "batch",
];

/** The queue as filtered on screen, every page, in queue order; times in UTC. */
export async function* queueCsvRows(ctx: Ctx, filters: QueueFilters): AsyncGenerator<unknown[]> {
  authorize(ctx.actor, "leavers.read");
  for await (const c of allPages((after) => listCases(ctx, { ...filters, after, limit: 500 }))) {
    yield [
      c.id,
      c.person,
      c.employeeNumber,
      c.department,
      c.reason,
      c.status,
      utc(c.effectiveAt),
      utc(c.slaDueAt),
      c.status !== "closed" && c.slaDueAt < ctx.now ? "yes" : "no",
      c.risk,
      c.tasksVerified,
      c.tasksTotal,
      c.tasksFailed,
      c.privilegedOutstanding,
      c.bulkOutstanding,
      c.assignee,
      c.batch,
    ];
  }
}
