import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { departments, identities, leaverBatches, leaverCases } from "@/db/schema";
import { leaverCaseStatus, leaverReason } from "@/db/schema/enums";
import { authorize, inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { keysetCondition, keysetOrder, type Page, pageParams, toPage } from "@/lib/pagination";
import { CASE_WORKER_ROLES, eligiblePerson } from "@/lib/people/eligible";
import { batchVisible } from "./batch";
import { riskExplained, riskScore } from "./rules";

/** Queue filters from the URL; a bad value falls back to "all" rather than failing the page. */
export const queueFilters = z.object({
  status: z
    .enum([...leaverCaseStatus.enumValues, "all"])
    .optional()
    .catch(undefined),
  reason: z.enum(leaverReason.enumValues).optional().catch(undefined),
  department: z.coerce.number().int().positive().optional().catch(undefined),
  batch: z.coerce.number().int().positive().optional().catch(undefined),
  breached: z.enum(["1"]).optional().catch(undefined),
  assignee: z
    .union([z.enum(["me", "none"]), z.coerce.number().int().positive()])
    .optional()
    .catch(undefined),
});
export const caseListInput = queueFilters.merge(pageParams);
export type QueueFilters = z.infer<typeof queueFilters>;
export type CaseListInput = z.infer<typeof caseListInput>;

const person = alias(identities, "person");
const assignee = alias(identities, "assignee");
// The queue order is the stored urgency key (lowest first), ties by id: one range scan of leaver_cases_queue_idx.
const keys = [sql`${leaverCases.queueRank}`, sql`${leaverCases.id}`];

function queueWhere(ctx: Ctx, f: QueueFilters) {
  const me = ctx.actor.id ?? -1;
  return and(
    inTeam(ctx.actor, leaverCases.identityId),
    f.status === "all" ? undefined : f.status ? eq(leaverCases.status, f.status) : ne(leaverCases.status, "closed"),
    f.reason ? eq(leaverCases.reason, f.reason) : undefined,
    f.department ? eq(person.departmentId, f.department) : undefined,
    f.batch ? eq(leaverCases.batchId, f.batch) : undefined,
    f.breached
      ? sql`${leaverCases.slaDueAt} < ${ctx.now.toISOString()}::timestamptz AND ${leaverCases.status} <> 'closed'`
      : undefined,
    f.assignee === "me"
      ? eq(leaverCases.assigneeId, me)
      : f.assignee === "none"
        ? sql`${leaverCases.assigneeId} IS NULL`
        : f.assignee
          ? eq(leaverCases.assigneeId, f.assignee)
          : undefined,
  );
}

function queueSelect(ctx: Ctx) {
  return ctx.db
    .select({
      id: leaverCases.id,
      personId: person.id,
      person: person.displayName,
      employeeNumber: person.employeeNumber,
      department: departments.name,
      reason: leaverCases.reason,
      status: leaverCases.status,
      effectiveAt: leaverCases.effectiveAt,
      slaDueAt: leaverCases.slaDueAt,
      tasksTotal: leaverCases.tasksTotal,
      tasksVerified: leaverCases.tasksVerified,
      tasksWaived: leaverCases.tasksWaived,
      tasksFailed: leaverCases.tasksFailed,
      privilegedOutstanding: leaverCases.privilegedOutstanding,
      bulkOutstanding: leaverCases.bulkOutstanding,
      assigneeId: leaverCases.assigneeId,
      assignee: assignee.displayName,
      batchId: leaverCases.batchId,
      batch: leaverBatches.name,
      queueRank: leaverCases.queueRank,
    })
    .from(leaverCases)
    .innerJoin(person, eq(person.id, leaverCases.identityId))
    .leftJoin(departments, eq(departments.id, person.departmentId))
    .leftJoin(assignee, eq(assignee.id, leaverCases.assigneeId))
    .leftJoin(leaverBatches, eq(leaverBatches.id, leaverCases.batchId));
}

/** The leaver queue: open cases by risk (stored key), filterable, keyset-paginated; managers see their team's. */
export async function listCases(ctx: Ctx, input: CaseListInput) {
  authorize(ctx.actor, "leavers.read");
  const rows = await queueSelect(ctx)
    .where(and(queueWhere(ctx, input), keysetCondition(input, keys, ["float8", "int"], "asc")))
    .orderBy(keysetOrder(input, keys, "asc"))
    .limit(input.limit + 1);
  const page = toPage(rows, input, (r) => [r.queueRank, r.id]);
  return {
    ...page,
    items: page.items.map((r) => {
      const input = {
        status: r.status,
        slaDueAt: r.slaDueAt,
        privilegedOutstanding: r.privilegedOutstanding,
        bulkOutstanding: r.bulkOutstanding,
        outstanding: r.tasksTotal - r.tasksVerified - r.tasksWaived,
      };
      return { ...r, risk: riskScore(input, ctx.now), riskWhy: riskExplained(input, ctx.now) };
    }),
  };
}

export type CaseRow = Awaited<ReturnType<typeof listCases>> extends Page<infer T> ? T : never;

/** Batches for the filter and the batch list, newest first. */
export async function listBatches(ctx: Ctx, limit = 50) {
  authorize(ctx.actor, "leavers.read");
  return ctx.db
    .select({
      id: leaverBatches.id,
      name: leaverBatches.name,
      createdAt: leaverBatches.createdAt,
      rowCount: leaverBatches.rowCount,
    })
    .from(leaverBatches)
    .where(batchVisible(inTeam(ctx.actor, sql.raw("c.identity_id"))))
    .orderBy(sql`${leaverBatches.createdAt} DESC, ${leaverBatches.id} DESC`)
    .limit(limit);
}

/** Analysts and admins a case can be assigned to. */
export async function listAssignees(ctx: Ctx) {
  authorize(ctx.actor, "leavers.read");
  return ctx.db
    .select({ id: identities.id, name: identities.displayName })
    .from(identities)
    .where(eligiblePerson({ roles: CASE_WORKER_ROLES }))
    .orderBy(identities.displayName);
}
