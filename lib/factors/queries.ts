import { and, eq, sql } from "drizzle-orm";
import { departments, identityPosture } from "@/db/schema";
import { aggregateScope, authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";

export type StrengthMode = "effective" | "primary";
export type DepartmentRow = { departmentId: number | null; department: string; counts: number[]; total: number };

/** People per department and strength 0–5, read from the posture rollup. Aggregates only. */
export async function strengthByDepartment(
  ctx: Ctx,
  opts: { mode: StrengthMode; privilegedOnly: boolean },
): Promise<DepartmentRow[]> {
  authorize(ctx.actor, "factors.aggregate");
  const strength = opts.mode === "effective" ? identityPosture.effectiveStrength : identityPosture.primaryStrength;
  const rows = await ctx.db
    .select({
      departmentId: identityPosture.departmentId,
      department: sql<string>`coalesce(${departments.name}, 'No department')`,
      strength,
      people: sql<number>`count(*)::int`,
    })
    .from(identityPosture)
    .leftJoin(departments, eq(departments.id, identityPosture.departmentId))
    .where(
      and(
        eq(identityPosture.active, true),
        opts.privilegedOnly ? eq(identityPosture.hasPrivileged, true) : undefined,
        aggregateScope(ctx.actor, identityPosture.identityId),
      ),
    )
    .groupBy(identityPosture.departmentId, departments.name, strength)
    .orderBy(sql`2`);
  const byDept = new Map<string, DepartmentRow>();
  for (const r of rows) {
    const key = String(r.departmentId);
    const row = byDept.get(key) ?? {
      departmentId: r.departmentId,
      department: r.department,
      counts: [0, 0, 0, 0, 0, 0],
      total: 0,
    };
    row.counts[r.strength] += r.people;
    row.total += r.people;
    byDept.set(key, row);
  }
  return [...byDept.values()];
}
