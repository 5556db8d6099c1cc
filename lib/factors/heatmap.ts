import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { departments as departmentsTable } from "@/db/schema";
import { criticality } from "@/db/schema/enums";
import { aggregateScope, authorize, peopleReach } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import {
  addCounts,
  type Department,
  mergeSmallCells,
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

/** The smallest group an aggregate-only viewer sees figures for (a department of one is a person's record). */
const MIN_CELL_PEOPLE = 5;

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
  return ctx.db
    .select({ id: departmentsTable.id, name: departmentsTable.name, parentId: departmentsTable.parentId })
    .from(departmentsTable);
}

/** The heatmap's one round trip: a department's figures ("c") or a department of the tree ("d"). */
const heatmapRow = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("c"),
    department_id: col.intOrNull,
    ...{ e0: col.int, e1: col.int, e2: col.int, e3: col.int, e4: col.int, e5: col.int },
    ...{ p0: col.int, p1: col.int, p2: col.int, p3: col.int, p4: col.int, p5: col.int },
    gap: col.int,
    people: col.int,
  }),
  z.object({ kind: z.literal("d"), department_id: col.int, name: col.text, parent_id: col.intOrNull }),
]);

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
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT 'c' AS kind, NULL::text AS name, NULL::int AS parent_id, c.* FROM (${counted}) c
    UNION ALL
    SELECT 'd', name, parent_id, id${sql.raw(", NULL".repeat(14))} FROM departments`,
    heatmapRow,
  );
  const own = new Map<number | null, DepartmentFigures>();
  const departments: Department[] = [];
  for (const r of rows) {
    if (r.kind === "d") {
      departments.push({ id: r.department_id, name: r.name, parentId: r.parent_id });
      continue;
    }
    own.set(r.department_id, {
      effective: [r.e0, r.e1, r.e2, r.e3, r.e4, r.e5],
      primary: [r.p0, r.p1, r.p2, r.p3, r.p4, r.p5],
      gap: r.gap,
      people: r.people,
    });
  }
  const total = [...own.values()].reduce(addFigures, emptyFigures());
  // Aggregate-only viewers (executives) see no cell of fewer than MIN_CELL_PEOPLE people (hardening finding 6).
  const cells =
    peopleReach(ctx.actor) === "none"
      ? mergeSmallCells(departments, own, MIN_CELL_PEOPLE, { add: addFigures, size: (v) => v.people })
      : own;
  return { rows: rollUpTree(departments, cells, FIGURE_OPS), total };
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
  const rows = await queryRows(
    ctx.db,
    sql`
    WITH counts AS (${counts})
    SELECT c.system_id, s.name, s.category::text AS category, s.criticality::text AS criticality, c.s, c.n
      FROM counts c JOIN systems s ON s.id = c.system_id`,
    z.object({
      system_id: col.int,
      name: col.text,
      category: col.text,
      criticality: z.enum(criticality.enumValues),
      s: col.int,
      n: col.int,
    }),
  );
  const bySystem = new Map<number, SystemRow>();
  for (const r of rows) {
    const id = r.system_id;
    const row = bySystem.get(id) ?? {
      systemId: id,
      name: r.name,
      category: r.category,
      criticality: r.criticality,
      counts: zeroCounts(),
      accounts: 0,
    };
    row.counts[r.s] += r.n;
    row.accounts += r.n;
    bySystem.set(id, row);
  }
  const rank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  // Most critical systems first; within a tier, the most accounts held below AAL2 (strength 0–2).
  const weak = (r: SystemRow) => sumCounts(r.counts.slice(0, 3));
  return [...bySystem.values()].sort(
    (a, b) => rank[a.criticality] - rank[b.criticality] || weak(b) - weak(a) || a.name.localeCompare(b.name),
  );
}
