import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { aggregateScope, authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import {
  addCounts,
  type Department,
  rollUpTree,
  type StrengthCounts,
  sumCounts,
  type TreeRow,
  zeroCounts,
} from "./tree";

/**
 * The factor-strength heatmaps, read from the identity_posture rollup (one narrow row per person, kept current
 * by the database): aggregates only, so executives may read them; a manager's cover their team.
 */
export type StrengthMode = "effective" | "primary";

/** Per department: people by effective and by primary strength, and the fallback-path gap. */
type DepartmentFigures = { effective: StrengthCounts; primary: StrengthCounts; gap: number; people: number };
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
  const rows = await queryRows<{ id: number; name: string; parent_id: number | null }>(
    ctx.db,
    sql`SELECT id, name, parent_id FROM departments`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    parentId: r.parent_id === null ? null : Number(r.parent_id),
  }));
}

/**
 * Rows = the department tree (subtree totals), both strength measures at once so the switch needs no query.
 * Organisation-wide it sums the maintained counters (identity_posture_counts); a manager's team is counted
 * from the rollup rows of the team.
 */
export async function departmentHeatmap(ctx: Ctx, opts: { privilegedOnly: boolean }): Promise<DepartmentHeatmap> {
  authorize(ctx.actor, "factors.aggregate");
  // One row per department: people by each strength measure and the gap, summed in SQL.
  const figures = (n: SQL, p: SQL, e: SQL) =>
    sql.join(
      [
        ...[0, 1, 2, 3, 4, 5].map(
          (k) => sql`coalesce(${n} FILTER (WHERE ${e} = ${sql.raw(String(k))}), 0)::int AS ${sql.identifier(`e${k}`)}`,
        ),
        ...[0, 1, 2, 3, 4, 5].map(
          (k) => sql`coalesce(${n} FILTER (WHERE ${p} = ${sql.raw(String(k))}), 0)::int AS ${sql.identifier(`p${k}`)}`,
        ),
        sql`coalesce(${n} FILTER (WHERE ${e} < ${p}), 0)::int AS gap`,
        sql`${n}::int AS people`,
      ],
      sql`, `,
    );
  const counted = aggregateScope(ctx.actor, sql`p.identity_id`)
    ? sql`SELECT p.department_id, ${figures(sql`count(*)`, sql`p.primary_strength`, sql`p.effective_strength`)}
            FROM identity_posture p WHERE ${postureScope(ctx, opts.privilegedOnly)} GROUP BY 1`
    : sql`SELECT nullif(k.department_id, 0) AS department_id, ${figures(sql`sum(k.people)`, sql`k.primary_strength`, sql`k.effective_strength`)}
            FROM identity_posture_counts k WHERE k.people <> 0 ${opts.privilegedOnly ? sql`AND k.privileged` : sql``} GROUP BY 1`;
  // One round trip: the figures and the tree they hang on.
  type Row = Record<string, number | string | null> & {
    kind: "c" | "d";
    department_id: number | null;
    name: string | null;
    parent_id: number | null;
  };
  const rows = await queryRows<Row>(
    ctx.db,
    sql`
    SELECT 'c' AS kind, NULL::text AS name, NULL::int AS parent_id, c.* FROM (${counted}) c
    UNION ALL
    SELECT 'd', name, parent_id, id${sql.raw(", NULL".repeat(14))} FROM departments`,
  );
  const own = new Map<number | null, DepartmentFigures>();
  const departments: Department[] = [];
  for (const r of rows) {
    if (r.kind === "d") {
      departments.push({
        id: Number(r.department_id),
        name: r.name!,
        parentId: r.parent_id === null ? null : Number(r.parent_id),
      });
      continue;
    }
    const counts = (prefix: string) => [0, 1, 2, 3, 4, 5].map((k) => Number(r[`${prefix}${k}`])) as StrengthCounts;
    own.set(r.department_id === null ? null : Number(r.department_id), {
      effective: counts("e"),
      primary: counts("p"),
      gap: Number(r.gap),
      people: Number(r.people),
    });
  }
  const total = [...own.values()].reduce(addFigures, emptyFigures());
  return { rows: rollUpTree(departments, own, FIGURE_OPS), total };
}

export type SystemRow = {
  systemId: number;
  name: string;
  category: string;
  criticality: string;
  counts: StrengthCounts;
  accounts: number;
};

/**
 * Accounts holding live privileged grants on each system, by the holder's strength: where a weak person holds
 * the keys. One entry per privileged account (privileged_system_ids in the rollup).
 */
export async function systemHeatmap(ctx: Ctx, opts: { mode: StrengthMode }): Promise<SystemRow[]> {
  authorize(ctx.actor, "factors.aggregate");
  const strength = opts.mode === "effective" ? sql`effective_strength` : sql`primary_strength`;
  const counts = aggregateScope(ctx.actor, sql`p.identity_id`)
    ? sql`SELECT sys.id AS system_id, p.${strength} AS s, count(*)::int AS n
            FROM identity_posture p CROSS JOIN LATERAL unnest(p.privileged_system_ids) AS sys(id)
           WHERE ${postureScope(ctx, true)}
           GROUP BY 1, 2`
    : sql`SELECT k.system_id, k.${strength} AS s, sum(k.accounts)::int AS n
            FROM identity_posture_system_counts k WHERE k.accounts <> 0 GROUP BY 1, 2`;
  const rows = await queryRows<{
    system_id: number;
    name: string;
    category: string;
    criticality: string;
    s: number;
    n: number;
  }>(
    ctx.db,
    sql`
    WITH counts AS (${counts})
    SELECT c.system_id, s.name, s.category::text AS category, s.criticality::text AS criticality, c.s, c.n
      FROM counts c JOIN systems s ON s.id = c.system_id`,
  );
  const bySystem = new Map<number, SystemRow>();
  for (const r of rows) {
    const id = Number(r.system_id);
    const row = bySystem.get(id) ?? {
      systemId: id,
      name: r.name,
      category: r.category,
      criticality: r.criticality,
      counts: zeroCounts(),
      accounts: 0,
    };
    row.counts[Number(r.s)] += Number(r.n);
    row.accounts += Number(r.n);
    bySystem.set(id, row);
  }
  const rank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  // Most critical systems first; within a tier, the most accounts held below AAL2 (strength 0–2).
  const weak = (r: SystemRow) => sumCounts(r.counts.slice(0, 3));
  return [...bySystem.values()].sort(
    (a, b) => rank[a.criticality] - rank[b.criticality] || weak(b) - weak(a) || a.name.localeCompare(b.name),
  );
}
