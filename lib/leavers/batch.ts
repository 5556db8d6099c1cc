import "server-only";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { identities, leaverBatches } from "@/db/schema";
import { authorize, can, inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";

const caseCounts = z.object({
  total: col.int,
  open: col.int,
  in_progress: col.int,
  closed: col.int,
  reopened: col.int,
  breached: col.int,
  next_sla: col.dateOrNull,
});
const taskCounts = z.object({
  total: col.int,
  verified: col.int,
  done: col.int,
  running: col.int,
  pending: col.int,
  failed: col.int,
  waived: col.int,
  manual: col.int,
  recent: col.int,
});

export type BatchProgress = {
  id: number;
  name: string;
  source: string;
  fileName: string | null;
  createdAt: string;
  createdBy: string | null;
  rowCount: number;
  /** Rows of the file that opened no case, with the import run that lists them (null for a manager). */
  notImported: { rows: number; runId: number } | null;
  cases: { total: number; open: number; inProgress: number; closed: number; reopened: number; breached: number };
  tasks: {
    total: number;
    verified: number;
    done: number;
    running: number;
    pending: number;
    failed: number;
    waived: number;
    manual: number;
  };
  /** Tasks verified per minute over the last five minutes (or since the import, when younger). */
  throughputPerMin: number;
  /** The soonest SLA among cases not closed, and how many are already past it. */
  nextSlaAt: string | null;
  failures: { system: string; error: string; tasks: number }[];
  asOf: string;
};

/**
 * A batch a manager may see: one that opened a case for someone in their team (hardening finding 6: any batch's
 * name, file and size were readable by id). `scope` is the team condition on `c.identity_id`, or none.
 */
export function batchVisible(scope: SQL | undefined): SQL | undefined {
  return scope
    ? sql`EXISTS (SELECT 1 FROM leaver_cases c WHERE c.batch_id = ${leaverBatches.id} AND ${scope})`
    : undefined;
}

/**
 * Live progress of one import (a mass layoff): what the batch page polls every few seconds. Aggregates over
 * the batch's tasks through the case index; failures grouped by system and error (attempt counters stripped).
 */
export async function batchProgress(ctx: Ctx, batchId: number): Promise<BatchProgress> {
  authorize(ctx.actor, "leavers.read");
  const scope = inTeam(ctx.actor, sql.raw("c.identity_id"));
  const where = scope ? sql`AND ${scope}` : sql``;
  const now = ctx.now.toISOString();
  const [b] = await ctx.db
    .select({
      id: leaverBatches.id,
      name: leaverBatches.name,
      source: leaverBatches.source,
      fileName: leaverBatches.fileName,
      createdAt: leaverBatches.createdAt,
      rowCount: leaverBatches.rowCount,
      importRunId: leaverBatches.importRunId,
      rowsNotImported: leaverBatches.rowsNotImported,
      createdBy: identities.displayName,
    })
    .from(leaverBatches)
    .leftJoin(identities, eq(identities.id, leaverBatches.createdById))
    .where(and(eq(leaverBatches.id, batchId), batchVisible(scope)));
  if (!b) throw new NotFound("That batch");
  const [cases] = await queryRows(
    ctx.db,
    sql`
    SELECT count(*) AS total, count(*) FILTER (WHERE status = 'open') AS open, count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
           count(*) FILTER (WHERE status = 'closed') AS closed, count(*) FILTER (WHERE status = 'reopened') AS reopened,
           count(*) FILTER (WHERE status <> 'closed' AND sla_due_at < ${now}::timestamptz) AS breached,
           -- The next SLA still ahead: a passed one is counted as breached, not shown as "next, a month ago".
           min(sla_due_at) FILTER (WHERE status <> 'closed' AND sla_due_at >= ${now}::timestamptz) AS next_sla
      FROM leaver_cases c WHERE c.batch_id = ${batchId} ${where}`,
    caseCounts,
  );
  const [tasks] = await queryRows(
    ctx.db,
    sql`
    SELECT count(*) AS total, count(*) FILTER (WHERE t.state = 'verified') AS verified, count(*) FILTER (WHERE t.state = 'done') AS done,
           count(*) FILTER (WHERE t.state = 'running') AS running, count(*) FILTER (WHERE t.state = 'pending') AS pending,
           count(*) FILTER (WHERE t.state = 'failed') AS failed, count(*) FILTER (WHERE t.state = 'waived') AS waived,
           count(*) FILTER (WHERE t.mode <> 'connector' AND t.state NOT IN ('verified', 'waived')) AS manual,
           count(*) FILTER (WHERE t.state = 'verified' AND t.verified_at > ${now}::timestamptz - interval '5 minutes') AS recent
      FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id WHERE c.batch_id = ${batchId} ${where}`,
    taskCounts,
  );
  const failures = await queryRows(
    ctx.db,
    sql`
    SELECT s.name AS system, regexp_replace(coalesce(t.last_error, 'unknown error'), '^(Execute|Verify) attempt [0-9]+ of [0-9]+: ', '') AS error, count(*) AS tasks
      FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id JOIN systems s ON s.id = t.system_id
     WHERE c.batch_id = ${batchId} AND t.state = 'failed' ${where}
     GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 20`,
    z.object({ system: col.text, error: col.text, tasks: col.int }),
  );
  const { recent, ...taskFigures } = tasks;
  const { importRunId, rowsNotImported, ...batch } = b;
  return {
    ...batch,
    // The file's rows are the import's: who may run imports sees them (a manager sees only their team's cases).
    notImported:
      importRunId && rowsNotImported > 0 && !scope && can(ctx.actor, "imports.run")
        ? { rows: rowsNotImported, runId: importRunId }
        : null,
    // A manager sees their team's part of a batch: not the file, nor how many people it named (a layoff's size).
    ...(scope ? { fileName: null, rowCount: cases.total } : {}),
    createdAt: b.createdAt.toISOString(),
    cases: {
      total: cases.total,
      open: cases.open,
      inProgress: cases.in_progress,
      closed: cases.closed,
      reopened: cases.reopened,
      breached: cases.breached,
    },
    tasks: taskFigures,
    // Over the last five minutes, or since the import if it is younger (a fresh batch is not averaged down).
    throughputPerMin:
      Math.round((recent / Math.min(5, Math.max(0.5, (ctx.now.getTime() - b.createdAt.getTime()) / 60_000))) * 10) / 10,
    nextSlaAt: cases.next_sla?.toISOString() ?? null,
    failures,
    asOf: now,
  };
}
