import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { bigintArray } from "@/db/sql";
import { writeAuditMany } from "@/lib/audit";
import { type Actor, SYSTEM_ACTOR } from "@/lib/authz";
import { connectorFor } from "@/lib/connectors";
import { type Ctx, makeCtx, transact } from "@/lib/context";
import type { JobHandler, Schedule } from "@/lib/jobs/types";
import { loadTaskContext, type TaskContext } from "./context";
import { queueTasks } from "./internal";
import { mirrorChange } from "./mirror";
import type { RemediationOrigin } from "./model";
import { mirrored, taskMeta, taskTarget } from "./record";

export const DRIFT_JOB = "remediation.drift_watch";
/** Daily at 04:00 UTC by default (LOCKSTEP_DRIFT_CRON overrides). */
export const DRIFT_SCHEDULE: Schedule = { name: DRIFT_JOB, cron: process.env.LOCKSTEP_DRIFT_CRON ?? "0 4 * * *" };

const WATCH: Actor = { ...SYSTEM_ACTOR, name: "drift watch" };

export type DriftCheck = { task: TaskContext; outcome: "held" | "drifted" | "error"; detail: string };

/**
 * What an origin does with a re-verification of its tasks, inside the transaction that records it: a leaver case
 * reopens when one of its revocations drifted. Origins without a hook get their drifted tasks queued again.
 */
export type DriftHook = (tx: Ctx, checks: DriftCheck[]) => Promise<void>;
export type DriftHooks = Partial<Record<RemediationOrigin, DriftHook>>;

/**
 * Re-reads the targets of verified connector tasks. A change that no longer holds (an upstream sync re-enabled the
 * account, a token works again) sends its task back to pending and undoes Lockstep's mirror of it. Connector calls
 * run outside any transaction; the results are recorded in one.
 */
export async function recheckTasks(
  db: Db,
  taskIds: readonly number[],
  now: Date,
  hooks: DriftHooks,
  actor: Actor = WATCH,
): Promise<{ checked: number; drifted: number }> {
  const checks: DriftCheck[] = [];
  for (const id of taskIds) {
    const task = await loadTaskContext(db, id);
    if (!task?.change || task.state !== "verified" || task.mode !== "connector") continue;
    try {
      const v = await connectorFor(task.system, db, { now: () => now }).verify(task.change);
      checks.push(
        v.verified ? { task, outcome: "held", detail: v.how } : { task, outcome: "drifted", detail: v.reason },
      );
    } catch (err) {
      checks.push({ task, outcome: "error", detail: (err as Error).message.slice(0, 300) });
    }
  }
  const drifted = checks.filter((c) => c.outcome === "drifted");
  await transact(makeCtx(actor, db, now), async (tx) => {
    const iso = now.toISOString();
    // Every task asked about counts as checked, even one that could not be (its target is gone from the
    // inventory), so the watch moves on instead of asking again.
    await tx.db.execute(sql`UPDATE remediation_tasks SET last_drift_check_at = ${iso}::timestamptz
                             WHERE id = ANY(${bigintArray(taskIds)})`);
    if (checks.length === 0) return;
    const rows = checks.map((c) => ({ task_id: c.task.id, outcome: c.outcome, detail: c.detail }));
    await tx.db.execute(sql`
      INSERT INTO remediation_drift_checks (task_id, checked_at, outcome, detail)
      SELECT x.task_id, ${iso}::timestamptz, x.outcome::drift_outcome, x.detail
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(task_id int8, outcome text, detail text)`);
    if (drifted.length) {
      await tx.db.execute(sql`
        UPDATE remediation_tasks SET state = 'pending', verified_at = NULL, verification = NULL, not_before = NULL, lease_until = NULL,
               last_error = 'Drift: re-verification found it undone (' || ${iso} || '); run it again', updated_at = ${iso}::timestamptz
         WHERE id = ANY(${bigintArray(drifted.map((d) => d.task.id))})`);
      for (const d of drifted) await mirrorChange(tx.db, mirrored(d.task), now, { undo: true });
      await writeAuditMany(
        tx,
        drifted.map((d) => ({
          action: "remediation.drift",
          target: taskTarget(d.task),
          before: { state: "verified" },
          after: { state: "pending", detail: d.detail },
          metadata: taskMeta(d.task),
        })),
      );
    }
    for (const [origin, list] of groupByOrigin(checks)) {
      const hook = hooks[origin];
      if (hook) await hook(tx, list);
      else {
        const ids = list.filter((c) => c.outcome === "drifted").map((c) => c.task.id);
        if (ids.length) await queueTasks(tx, { taskIds: ids });
      }
    }
  });
  return { checked: checks.length, drifted: drifted.length };
}

function groupByOrigin(checks: DriftCheck[]): Map<RemediationOrigin, DriftCheck[]> {
  const m = new Map<RemediationOrigin, DriftCheck[]>();
  for (const c of checks) m.set(c.task.origin, [...(m.get(c.task.origin) ?? []), c]);
  return m;
}

/**
 * The drift watch: every verified connector task still under watch (its origin set drift_watch_until, e.g. a
 * closed leaver case for 30 days) and not re-checked in the last day, a batch of one origin row at a time.
 */
export function driftWatchJob(hooks: DriftHooks): JobHandler {
  return async (_payload, h) => {
    const now = h.now();
    for (;;) {
      const due = await queryRows(
        h.db,
        sql`
        SELECT origin::text AS origin, origin_id, array_agg(id ORDER BY priority, id) AS ids
          FROM remediation_tasks
         WHERE state = 'verified' AND mode = 'connector' AND drift_watch_until > ${now.toISOString()}::timestamptz
           AND (last_drift_check_at IS NULL OR last_drift_check_at <= ${now.toISOString()}::timestamptz - interval '23 hours')
         GROUP BY origin, origin_id
         ORDER BY min(last_drift_check_at) NULLS FIRST, origin_id LIMIT 100`,
        z.object({ origin: col.text, origin_id: col.int, ids: z.array(col.int) }),
      );
      if (due.length === 0) return;
      let drifted = 0;
      for (const d of due) drifted += (await recheckTasks(h.db, d.ids, now, hooks)).drifted;
      h.log(`drift watch: ${due.length} origins checked, ${drifted} changes drifted`);
    }
  };
}
