import { and, eq, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { leaverCaseStatus, leaverReason } from "@/db/schema/enums";
import { departments, identities, leaverCases } from "@/db/schema";
import { authorize, inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { keysetCondition, keysetOrder, type Page, pageParams, toPage } from "@/lib/pagination";

export const caseListInput = z
  .object({
    status: z.enum([...leaverCaseStatus.enumValues, "all"]).optional().catch(undefined),
    reason: z.enum(leaverReason.enumValues).optional().catch(undefined),
    department: z.coerce.number().int().positive().optional().catch(undefined),
  })
  .merge(pageParams);
export type CaseListInput = z.infer<typeof caseListInput>;

const person = alias(identities, "person");
const assignee = alias(identities, "assignee");
const keys = [sql`${leaverCases.slaDueAt}`, sql`${leaverCases.id}`];

/** Leaver cases, most urgent SLA first; managers see their own reports' cases only. */
export async function listCases(ctx: Ctx, input: CaseListInput) {
  authorize(ctx.actor, "leavers.read");
  const rows = await ctx.db
    .select({
      id: leaverCases.id,
      personId: person.id,
      person: person.displayName,
      department: departments.name,
      reason: leaverCases.reason,
      status: leaverCases.status,
      effectiveAt: leaverCases.effectiveAt,
      slaDueAt: leaverCases.slaDueAt,
      tasksTotal: leaverCases.tasksTotal,
      tasksVerified: leaverCases.tasksVerified,
      tasksFailed: leaverCases.tasksFailed,
      privilegedOutstanding: leaverCases.privilegedOutstanding,
      bulkOutstanding: leaverCases.bulkOutstanding,
      assignee: assignee.displayName,
    })
    .from(leaverCases)
    .innerJoin(person, eq(person.id, leaverCases.identityId))
    .leftJoin(departments, eq(departments.id, person.departmentId))
    .leftJoin(assignee, eq(assignee.id, leaverCases.assigneeId))
    .where(
      and(
        inTeam(ctx.actor, leaverCases.identityId),
        input.status === "all" ? undefined : input.status ? eq(leaverCases.status, input.status) : ne(leaverCases.status, "closed"),
        input.reason ? eq(leaverCases.reason, input.reason) : undefined,
        input.department ? eq(person.departmentId, input.department) : undefined,
        keysetCondition(input, keys, ["timestamptz", "int"], "asc"),
      ),
    )
    .orderBy(keysetOrder(input, keys, "asc"))
    .limit(input.limit + 1);
  return toPage(rows, input, (r) => [r.slaDueAt.toISOString(), r.id]);
}

export type CaseRow = Awaited<ReturnType<typeof listCases>> extends Page<infer T> ? T : never;
