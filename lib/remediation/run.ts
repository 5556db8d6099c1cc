import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { remediationTasks } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { connectorFor } from "@/lib/connectors";
import { ConnectorError, type ExecuteResult, type VerifyResult } from "@/lib/connectors/types";
import { makeCtx, transact } from "@/lib/context";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import type { JobHelpers } from "@/lib/jobs/types";
import { circuitWait } from "./circuit.internal";
import { loadTaskContext, type TaskContext } from "./context";
import { taskJob } from "./queue-job";
import { recordExecuted, recordFailure, recordVerified, taskMeta, taskTarget, WORKER } from "./record";

const LEASE_MS = 5 * 60_000;

type Claimed = { task: TaskContext; previous: string; lease: string };

/**
 * Takes the task for this run: it must be queued (running, no live lease) or due for an automatic retry.
 * Anything else — done by another worker, waived, verified — makes the job a harmless no-op (idempotent).
 */
async function claim(h: JobHelpers, taskId: number): Promise<Claimed | null> {
  const now = h.now();
  const lease = new Date(now.getTime() + LEASE_MS).toISOString();
  return transact(makeCtx(WORKER, h.db, now), async (tx) => {
    const [claimed] = await queryRows(
      tx.db,
      sql`
      UPDATE remediation_tasks t
         SET lease_until = ${lease}::timestamptz, attempts = t.attempts + 1,
             state = CASE WHEN t.state = 'failed' THEN 'running'::remediation_state ELSE t.state END,
             not_before = NULL, updated_at = ${now.toISOString()}::timestamptz
        FROM remediation_tasks old
       WHERE t.id = ${taskId} AND old.id = t.id AND t.mode = 'connector'
         AND (t.state = 'running' OR (t.state IN ('failed', 'done') AND t.not_before IS NOT NULL AND t.not_before <= ${now.toISOString()}::timestamptz))
         AND (t.lease_until IS NULL OR t.lease_until < ${now.toISOString()}::timestamptz)
      RETURNING old.state::text AS previous`,
      z.object({ previous: col.text }),
    );
    if (!claimed) return null;
    const task = await loadTaskContext(tx.db, taskId);
    if (!task) return null;
    // The system's circuit is open (it stopped answering): the task waits for the probe, not charged an attempt.
    const wait = await circuitWait(tx.db, task.system.id, now);
    if (wait) {
      await tx.db
        .update(remediationTasks)
        .set({ attempts: sql`${remediationTasks.attempts} - 1`, leaseUntil: null, notBefore: wait })
        .where(eq(remediationTasks.id, taskId));
      await enqueueJobs(tx.db, [taskJob(task, wait)]);
      if (claimed.previous === "failed") {
        await writeAudit(tx, {
          action: "remediation.retry",
          target: taskTarget(task),
          before: { state: "failed" },
          after: { state: "running", waitingUntil: wait.toISOString(), reason: "system not answering (circuit open)" },
          metadata: taskMeta(task),
        });
      }
      return null;
    }
    // The audit lock is global: take it last, so no transaction ever waits on a row while holding it.
    if (claimed.previous === "failed") {
      await writeAudit(tx, {
        action: "remediation.retry",
        target: taskTarget(task),
        before: { state: "failed" },
        after: { state: "running", attempt: task.attempts },
        metadata: taskMeta(task),
      });
    }
    return { task, previous: claimed.previous, lease };
  });
}

/** Job handler: execute through the connector (unless already executed), then verify by re-reading. */
export async function runTaskJob(payload: Record<string, unknown>, h: JobHelpers): Promise<void> {
  const claimed = await claim(h, Number(payload.taskId));
  if (!claimed) return;
  try {
    await carryOut(h, claimed);
  } catch (err) {
    // Our own bookkeeping failed (database error, not the connector): give the task back at once so the
    // runner's retry of this job can claim it, instead of waiting for the lease to run out.
    await h.db
      .update(remediationTasks)
      .set({ leaseUntil: null })
      .where(and(eq(remediationTasks.id, claimed.task.id), eq(remediationTasks.leaseUntil, new Date(claimed.lease))))
      .catch(() => {});
    throw err;
  }
}

async function carryOut(h: JobHelpers, { task, previous }: Claimed): Promise<void> {
  if (!task.change) {
    const gone = new ConnectorError("the target of this task no longer exists in Lockstep's inventory", false);
    return recordFailure(h, task, "execute", gone);
  }
  const connector = connectorFor(task.system, h.db, { now: h.now });
  const label = connector.simulated ? `${task.system.kind} (simulated)` : task.system.kind;
  if (previous !== "done") {
    let result: ExecuteResult;
    try {
      result = await connector.execute(task.change);
    } catch (err) {
      return recordFailure(h, task, "execute", err);
    }
    await recordExecuted(h, task, result, connector.simulated);
    h.log(`task ${task.id} executed via ${label}: ${result.outcome}`);
  }
  let verdict: VerifyResult;
  try {
    verdict = await connector.verify(task.change);
  } catch (err) {
    return recordFailure(h, task, "verify", err);
  }
  if (verdict.verified) await recordVerified(h, task, verdict, connector.simulated);
  else await recordFailure(h, task, "verify", new ConnectorError(`not verified: ${verdict.reason}`, true));
}
