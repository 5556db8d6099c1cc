import "server-only";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { authorize, inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";

const n = (v: unknown) => Number(v ?? 0);

export type BatchProgress = {
  id: number;
  name: string;
  source: string;
  fileName: string | null;
  createdAt: string;
  createdBy: string | null;
  rowCount: number;
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
 * Live progress of one import (a mass layoff): what the batch page polls every few seconds. Aggregates over
 * the batch's tasks through the case index; failures grouped by system and error (attempt counters stripped).
 */
export async function batchProgress(ctx: Ctx, batchId: number): Promise<BatchProgress> {
  authorize(ctx.actor, "leavers.read");
  const scope = inTeam(ctx.actor, sql.raw("c.identity_id"));
  const where = scope ? sql`AND ${scope}` : sql``;
  const now = ctx.now.toISOString();
  const [b] = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`
    SELECT b.id, b.name, b.source::text AS source, b.file_name, b.created_at, b.row_count, i.display_name AS created_by
      FROM leaver_batches b LEFT JOIN identities i ON i.id = b.created_by_id WHERE b.id = ${batchId}`,
  );
  if (!b) throw new NotFound("That batch");
  const [cases] = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`
    SELECT count(*) AS total, count(*) FILTER (WHERE status = 'open') AS open, count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
           count(*) FILTER (WHERE status = 'closed') AS closed, count(*) FILTER (WHERE status = 'reopened') AS reopened,
           count(*) FILTER (WHERE status <> 'closed' AND sla_due_at < ${now}::timestamptz) AS breached,
           min(sla_due_at) FILTER (WHERE status <> 'closed') AS next_sla
      FROM leaver_cases c WHERE c.batch_id = ${batchId} ${where}`,
  );
  const [tasks] = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`
    SELECT count(*) AS total, count(*) FILTER (WHERE t.state = 'verified') AS verified, count(*) FILTER (WHERE t.state = 'done') AS done,
           count(*) FILTER (WHERE t.state = 'running') AS running, count(*) FILTER (WHERE t.state = 'pending') AS pending,
           count(*) FILTER (WHERE t.state = 'failed') AS failed, count(*) FILTER (WHERE t.state = 'waived') AS waived,
           count(*) FILTER (WHERE t.mode <> 'connector' AND t.state NOT IN ('verified', 'waived')) AS manual,
           count(*) FILTER (WHERE t.state = 'verified' AND t.verified_at > ${now}::timestamptz - interval '5 minutes') AS recent
      FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id WHERE c.batch_id = ${batchId} ${where}`,
  );
  const failures = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`
    SELECT s.name AS system, regexp_replace(coalesce(t.last_error, 'unknown error'), '^(Execute|Verify) attempt [0-9]+ of [0-9]+: ', '') AS error, count(*) AS tasks
      FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id JOIN systems s ON s.id = t.system_id
     WHERE c.batch_id = ${batchId} AND t.state = 'failed' ${where}
     GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 20`,
  );
  return {
    id: n(b.id),
    name: String(b.name),
    source: String(b.source),
    fileName: (b.file_name as string) ?? null,
    createdAt: new Date(b.created_at as string).toISOString(),
    createdBy: (b.created_by as string) ?? null,
    rowCount: n(b.row_count),
    cases: {
      total: n(cases.total),
      open: n(cases.open),
      inProgress: n(cases.in_progress),
      closed: n(cases.closed),
      reopened: n(cases.reopened),
      breached: n(cases.breached),
    },
    tasks: {
      total: n(tasks.total),
      verified: n(tasks.verified),
      done: n(tasks.done),
      running: n(tasks.running),
      pending: n(tasks.pending),
      failed: n(tasks.failed),
      waived: n(tasks.waived),
      manual: n(tasks.manual),
    },
    // Over the last five minutes, or since the import if it is younger (a fresh batch is not averaged down).
    throughputPerMin:
      Math.round(
        (n(tasks.recent) /
          Math.min(5, Math.max(0.5, (ctx.now.getTime() - new Date(b.created_at as string).getTime()) / 60_000))) *
          10,
      ) / 10,
    nextSlaAt: cases.next_sla ? new Date(cases.next_sla as string).toISOString() : null,
    failures: failures.map((f) => ({ system: String(f.system), error: String(f.error), tasks: n(f.tasks) })),
    asOf: now,
  };
}
