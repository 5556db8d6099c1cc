import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { aggregateScope, authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { addCounts, type Department, rollUpTree, type StrengthCounts, sumCounts, type TreeRow, zeroCounts } from "./tree";

/**
 * The factor-strength heatmaps, read from the identity_posture rollup (one narrow row per person, kept current
 * by the database): aggregates only, so executives may read them; a manager's cover their team.
 */
export type StrengthMode = "effective" | "primary";

/** Per department: people by effective and by primary strength, and the fallback-path gap. */
export type DepartmentFigures = { effective: StrengthCounts; primary: StrengthCounts; gap: number; people: number };
export type DepartmentHeatmap = { rows: TreeRow<DepartmentFigures>[]; total: DepartmentFigures };

const emptyFigures = (): DepartmentFigures => ({ effective: zeroCounts(), primary: zeroCounts(), gap: 0, people: 0 });
const addFigures = (a: DepartmentFigures, b: DepartmentFigures): DepartmentFigures => ({
  effective: addCounts(a.effective, b.effective),
  primary: addCounts(a.primary, b.primary),
  gap: a.gap + b.gap,
  people: a.people + b.people,
});
const FIGURE_OPS = { empty: emptyFigures, add: addFigures, isEmpty: (v: DepartmentFigures) => v.people === 0 };

/** Active people in the actor's aggregate scope (`p` = identity_posture). */
function postureScope(ctx: Ctx, privilegedOnly: boolean): SQL {
  const scope = aggregateScope(ctx.actor, sql`p.identity_id`);
  return sql`p.active${privilegedOnly ? sql` AND p.has_privileged` : sql``}${scope ? sql` AND ${scope}` : sql``}`;
}

export async function loadDepartments(ctx: Ctx): Promise<Department[]> {
  const rows = await queryRows<{ id: number; name: string; parent_id: number | null }>(ctx.db, sql`SELECT id, name, parent_id FROM departments`);
  return rows.map((r) => ({ id: Number(r.id), name: r.name, parentId: r.parent_id === null ? null : Number(r.parent_id) }));
}

/** Rows = the department tree (subtree totals), both strength measures at once so the switch needs no query. */
export async function departmentHeatmap(ctx: Ctx, opts: { privilegedOnly: boolean }): Promise<DepartmentHeatmap> {
  authorize(ctx.actor, "factors.aggregate");
  const [counts, departments] = await Promise.all([
    queryRows<{ department_id: number | null; p: number; e: number; n: number }>(ctx.db, sql`
      SELECT p.department_id, p.primary_strength AS p, p.effective_strength AS e, count(*)::int AS n
        FROM identity_posture p
       WHERE ${postureScope(ctx, opts.privilegedOnly)}
       GROUP BY 1, 2, 3`),
    loadDepartments(ctx),
  ]);
  const own = new Map<number | null, DepartmentFigures>();
  for (const c of counts) {
    const key = c.department_id === null ? null : Number(c.department_id);
    const f = own.get(key) ?? emptyFigures();
    const n = Number(c.n);
    f.primary[Number(c.p)] += n;
    f.effective[Number(c.e)] += n;
    if (Number(c.e) < Number(c.p)) f.gap += n;
    f.people += n;
    own.set(key, f);
  }
  const rows = rollUpTree(departments, own, FIGURE_OPS);
  const total = [...own.values()].reduce(addFigures, emptyFigures());
  return { rows, total };
}

export type SystemRow = { systemId: number; name: string; category: string; criticality: string; counts: StrengthCounts; accounts: number };

/**
 * Accounts holding live privileged grants on each system, by the holder's strength: where a weak person holds
 * the keys. One entry per privileged account (privileged_system_ids in the rollup).
 */
export async function systemHeatmap(ctx: Ctx, opts: { mode: StrengthMode }): Promise<SystemRow[]> {
  authorize(ctx.actor, "factors.aggregate");
  const strength = opts.mode === "effective" ? sql`p.effective_strength` : sql`p.primary_strength`;
  const rows = await queryRows<{ system_id: number; name: string; category: string; criticality: string; s: number; n: number }>(ctx.db, sql`
    WITH counts AS (
      SELECT sys.id AS system_id, ${strength} AS s, count(*)::int AS n
        FROM identity_posture p CROSS JOIN LATERAL unnest(p.privileged_system_ids) AS sys(id)
       WHERE ${postureScope(ctx, true)}
       GROUP BY 1, 2
    )
    SELECT c.system_id, s.name, s.category::text AS category, s.criticality::text AS criticality, c.s, c.n
      FROM counts c JOIN systems s ON s.id = c.system_id`);
  const bySystem = new Map<number, SystemRow>();
  for (const r of rows) {
    const id = Number(r.system_id);
    const row = bySystem.get(id) ?? { systemId: id, name: r.name, category: r.category, criticality: r.criticality, counts: zeroCounts(), accounts: 0 };
    row.counts[Number(r.s)] += Number(r.n);
    row.accounts += Number(r.n);
    bySystem.set(id, row);
  }
  const rank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  // Most critical systems first; within a tier, the most accounts held below AAL2 (strength 0–2).
  const weak = (r: SystemRow) => sumCounts(r.counts.slice(0, 3));
  return [...bySystem.values()].sort((a, b) => rank[a.criticality] - rank[b.criticality] || weak(b) - weak(a) || a.name.localeCompare(b.name));
}
