import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { intArray } from "@/db/sql";
import type { Ctx } from "@/lib/context";

/**
 * Whole-file checks of an HR roster, set-based over import_rows (any size, any row order): an employee number
 * twice, a joiner's email twice, and managers who join in the same file — found wherever their row is, or the row
 * naming them becomes an error (repeated, so a manager whose own row failed fails the rows below them too).
 * Returns the departments confirming would create, for the preview's summary.
 */
export async function finalizePeople(ctx: Ctx, runId: number): Promise<Record<string, unknown>> {
  // The rows were just written: without fresh statistics the planner takes the file for a handful of rows and
  // joins 100,000 of them row by row (minutes instead of seconds). A small file is quick either way (and ANALYZE
  // itself takes seconds on the embedded database).
  const [{ rows }] = await queryRows(
    ctx.db,
    sql`SELECT count(*)::int AS rows FROM import_rows WHERE run_id = ${runId}`,
    z.object({ rows: col.int }),
  );
  if (rows > 200) await ctx.db.execute(sql`ANALYZE import_rows`);
  await ctx.db.execute(sql`
    UPDATE import_rows r SET status = 'error', code = NULL,
           message = 'Employee number ' || r.key || ' is also on line ' || d.first_line || ': one row per person.'
      FROM (SELECT seq, first_value(line) OVER w AS first_line, row_number() OVER w AS n
              FROM import_rows WHERE run_id = ${runId} AND key IS NOT NULL
            WINDOW w AS (PARTITION BY key ORDER BY seq)) d
     WHERE r.run_id = ${runId} AND r.seq = d.seq AND d.n > 1 AND r.status <> 'error'`);
  await ctx.db.execute(sql`
    UPDATE import_rows r SET status = 'error', code = NULL,
           message = 'Email ' || (r.data->>'email') || ' is also on line ' || d.first_line || ': each new person needs their own.'
      FROM (SELECT seq, first_value(line) OVER w AS first_line, row_number() OVER w AS n
              FROM import_rows WHERE run_id = ${runId} AND status = 'ok' AND code = 'join' AND data->>'email' IS NOT NULL
            WINDOW w AS (PARTITION BY data->>'email' ORDER BY seq)) d
     WHERE r.run_id = ${runId} AND r.seq = d.seq AND d.n > 1`);

  // Joiners by employee number and by email (separate so each lookup is a plain equality the planner can hash).
  const joiners = sql`
    jn AS (SELECT key AS ref FROM import_rows WHERE run_id = ${runId} AND status = 'ok' AND code = 'join'),
    je AS (SELECT data->>'email' AS ref, key AS number FROM import_rows
            WHERE run_id = ${runId} AND status = 'ok' AND code = 'join' AND data->>'email' IS NOT NULL)`;
  const pending = sql`r.run_id = ${runId} AND r.status = 'ok' AND r.code IN ('join', 'move')
                      AND (r.data->>'managerPending')::boolean`;
  await failUnresolved(ctx, runId, joiners, pending);
  await resolveManagers(ctx, runId, joiners, pending);
  // A loop makes its rows errors, and with them the joiners among them: the rows naming those fail in turn.
  if (await failLoops(ctx, runId)) await failUnresolved(ctx, runId, joiners, pending);

  const created = await queryRows(
    ctx.db,
    sql`
    SELECT DISTINCT ON (lower(data->>'department')) data->>'department' AS name
      FROM import_rows WHERE run_id = ${runId} AND status = 'ok' AND code IN ('join', 'move')
       AND (data->>'departmentNew')::boolean
     ORDER BY lower(data->>'department'), seq`,
    z.object({ name: col.text }),
  );
  return { newDepartments: created.map((d) => d.name) };
}

/** Rows whose manager is neither in Lockstep nor an ok joiner of the file become errors, until none is left. */
async function failUnresolved(ctx: Ctx, runId: number, joiners: SQL, pending: SQL) {
  for (;;) {
    const failed = await queryRows(
      ctx.db,
      sql`
      WITH ${joiners},
      e AS (SELECT ref, min(line) AS line FROM (
              SELECT key AS ref, line FROM import_rows WHERE run_id = ${runId} AND status = 'error' AND key IS NOT NULL
              UNION ALL
              SELECT data->>'email', line FROM import_rows WHERE run_id = ${runId} AND status = 'error' AND data->>'email' IS NOT NULL
            ) x GROUP BY ref),
      bad AS (SELECT r.seq, r.data->>'manager' AS ref, coalesce(e1.line, e2.line) AS line
                FROM import_rows r
                LEFT JOIN e e1 ON e1.ref = r.data->>'manager'
                LEFT JOIN e e2 ON e2.ref = lower(r.data->>'manager')
               WHERE ${pending}
                 AND NOT EXISTS (SELECT 1 FROM jn WHERE jn.ref = r.data->>'manager')
                 AND NOT EXISTS (SELECT 1 FROM je WHERE je.ref = lower(r.data->>'manager')))
      UPDATE import_rows r SET status = 'error', code = NULL,
             message = CASE WHEN bad.line IS NULL
               THEN 'No manager ' || bad.ref || ': nobody in Lockstep or in this file has that employee number or email.'
               ELSE 'Manager ' || bad.ref || ' does not join: line ' || bad.line || ' has an error.' END
        FROM bad WHERE r.run_id = ${runId} AND r.seq = bad.seq
      RETURNING r.seq`,
      z.object({ seq: col.int }),
    );
    if (failed.length === 0) break;
  }
}

/** Each remaining row with a manager who joins in this file: that joiner's employee number, for apply. */
async function resolveManagers(ctx: Ctx, runId: number, joiners: SQL, pending: SQL) {
  await ctx.db.execute(sql`
    WITH ${joiners},
    m AS (SELECT r.seq, coalesce(jn.ref, je.number) AS number
            FROM import_rows r
            LEFT JOIN jn ON jn.ref = r.data->>'manager'
            LEFT JOIN je ON je.ref = lower(r.data->>'manager')
           WHERE ${pending})
    UPDATE import_rows r SET data = jsonb_set(r.data, '{managerNumber}', to_jsonb(m.number))
      FROM m WHERE r.run_id = ${runId} AND r.seq = m.seq`);
}

/**
 * A management loop after confirming must pass through a row of the file (Lockstep's own chains have none, SCIM
 * refuses them). So: each row that sets a manager is linked to the next row of the file above it — the manager's
 * own row, else the first person with a row up the manager's current chain (a short walk per row in SQL) — and
 * the loops of that graph (one link per row) are found in one pass here. Rows on a loop become errors.
 */
async function failLoops(ctx: Ctx, runId: number): Promise<boolean> {
  const links = await queryRows(
    ctx.db,
    sql`
    WITH RECURSIVE fe AS (
      SELECT r.seq, r.target_id::int AS id, r.key, (r.data->>'managerId')::int AS manager_id, r.data->>'managerNumber' AS manager_number
        FROM import_rows r
       WHERE r.run_id = ${runId} AND r.status = 'ok' AND r.code IN ('join', 'move')
         AND (r.data->>'managerId' IS NOT NULL OR r.data->>'managerNumber' IS NOT NULL)),
    walk(seq, id, hops) AS (
      SELECT seq, manager_id, 0 FROM fe WHERE manager_id IS NOT NULL
      UNION ALL
      SELECT w.seq, i.manager_id, w.hops + 1 FROM walk w JOIN identities i ON i.id = w.id
       WHERE i.manager_id IS NOT NULL AND w.hops < 100 AND NOT EXISTS (SELECT 1 FROM fe WHERE fe.id = w.id)),
    ups AS (SELECT DISTINCT ON (w.seq) w.seq, w.id FROM walk w JOIN fe f2 ON f2.id = w.id ORDER BY w.seq, w.hops)
    SELECT fe.seq, coalesce('i:' || fe.id, 'n:' || fe.key) AS node,
           CASE WHEN fe.manager_number IS NOT NULL THEN 'n:' || fe.manager_number ELSE 'i:' || ups.id END AS up
      FROM fe LEFT JOIN ups ON ups.seq = fe.seq`,
    z.object({ seq: col.int, node: col.text, up: col.textOrNull }),
  );
  const up = new Map(links.map((l) => [l.node, l.up]));
  const seqOf = new Map(links.map((l) => [l.node, l.seq]));
  // Walk each chain once: a node met again on the walk in progress closes a loop; a node settled before does not.
  const state = new Map<string, "walking" | "done">();
  const onLoop: number[] = [];
  for (const start of up.keys()) {
    const path: string[] = [];
    let node: string | null | undefined = start;
    while (node && up.has(node) && !state.has(node)) {
      state.set(node, "walking");
      path.push(node);
      node = up.get(node);
    }
    if (node && state.get(node) === "walking")
      for (const n of path.slice(path.indexOf(node))) onLoop.push(seqOf.get(n)!);
    for (const n of path) state.set(n, "done");
  }
  if (!onLoop.length) return false;
  await ctx.db.execute(sql`
    UPDATE import_rows r SET status = 'error', code = NULL,
           message = 'Manager ' || (r.data->>'manager') || ' would make a management loop.'
     WHERE r.run_id = ${runId} AND r.seq = ANY(${intArray(onLoop)})`);
  return true;
}
