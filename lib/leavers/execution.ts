import { sql } from "drizzle-orm";
import { writeAudit } from "@/lib/audit";
import { type Actor, SYSTEM_ACTOR } from "@/lib/authz";
import { connectorFor } from "@/lib/connectors";
import { ConnectorError, type ExecuteResult, type VerifyResult } from "@/lib/connectors/types";
import { makeCtx, transact } from "@/lib/context";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import type { JobHelpers, JobSpec } from "@/lib/jobs/types";
import { refreshCaseCounters } from "./counters";
import { mirrorRevocation } from "./mirror";
import { MAX_ATTEMPTS, retryDelayMs } from "./rules";
import { loadTaskContext, type TaskContext } from "./task-context";

export const RUN_TASK_JOB = "leaver.run_task";
const LEASE_MS = 5 * 60_000;

/** The worker acts as the system, named for the log so an auditor reads who did what. */
const WORKER: Actor = { ...SYSTEM_ACTOR, name: "connector worker" };

const retryBaseMs = () => Number(process.env.LOCKSTEP_RETRY_BASE_MS ?? 5_000);

/** The job that carries out (then verifies) one task, in its system's concurrency group. */
export function taskJob(t: { id: number; systemId: number; maxConcurrency: number }, runAt?: Date): JobSpec {
  return {
    name: RUN_TASK_JOB,
    payload: { taskId: t.id },
    key: `task:${t.id}`,
    runAt,
    concurrency: { group: `system:${t.systemId}`, limit: Math.max(1, t.maxConcurrency), slot: t.id },
  };
}

type Claimed = { task: TaskContext; previous: string; lease: string };

/**
 * Takes the task for this run: it must be queued (running, no live lease) or due for an automatic retry.
 * Anything else — done by another worker, waived, closed — makes the job a harmless no-op (idempotent).
 */
async function claim(h: JobHelpers, taskId: number): Promise<Claimed | null> {
  const now = h.now();
  const ctx = makeCtx(WORKER, h.db, now);
  const lease = new Date(now.getTime() + LEASE_MS).toISOString();
  return transact(ctx, async (tx) => {
    const res = (await tx.db.execute(sql`
      UPDATE revocation_tasks t
         SET lease_until = ${lease}::timestamptz, attempts = t.attempts + 1,
             state = CASE WHEN t.state = 'failed' THEN 'running'::revocation_task_state ELSE t.state END,
             not_before = NULL, updated_at = ${now.toISOString()}::timestamptz
        FROM leaver_cases c, revocation_tasks old
       WHERE t.id = ${taskId} AND old.id = t.id AND c.id = t.case_id AND c.status <> 'closed' AND t.mode = 'connector'
         AND (t.state = 'running' OR (t.state IN ('failed', 'done') AND t.not_before IS NOT NULL AND t.not_before <= ${now.toISOString()}::timestamptz))
         AND (t.lease_until IS NULL OR t.lease_until < ${now.toISOString()}::timestamptz)
      RETURNING old.state::text AS previous`)) as unknown as { rows: { previous: string }[] };
    const previous = res.rows[0]?.previous;
    if (!previous) return null;
    const task = await loadTaskContext(tx.db, taskId);
    if (!task) return null;
    await refreshCaseCounters(tx.db, [task.caseId]);
    // The audit lock is global: take it last, so no transaction ever waits on a row while holding it.
    if (previous === "failed") {
      await writeAudit(tx, {
        action: "leaver.task_retry",
        target: { type: "revocation_task", id: taskId, label: task.targetLabel },
        before: { state: "failed" },
        after: { state: "running", attempt: task.attempts },
      });
    }
    return { task, previous, lease };
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
      .execute(
        sql`UPDATE revocation_tasks SET lease_until = NULL WHERE id = ${claimed.task.id} AND lease_until = ${claimed.lease}::timestamptz`,
      )
      .catch(() => {});
    throw err;
  }
}

/** Execute through the connector (unless already executed), then verify by re-reading the target. */
async function carryOut(h: JobHelpers, { task, previous }: Claimed): Promise<void> {
  if (!task.action)
    return recordFailure(
      h,
      task,
      "execute",
      new ConnectorError(`the target of this task no longer exists in Lockstep's inventory`, false),
    );
  const connector = connectorFor(task.system, h.db, { now: h.now });
  const label = connector.simulated ? `${task.system.kind} (simulated)` : task.system.kind;
  if (previous !== "done") {
    let result: ExecuteResult;
    try {
      result = await connector.execute(task.action);
    } catch (err) {
      return recordFailure(h, task, "execute", err);
    }
    await recordExecuted(h, task, result, connector.simulated);
    h.log(`task ${task.id} executed via ${label}: ${result.outcome}`);
  }
  let verdict: VerifyResult;
  try {
    verdict = await connector.verify(task.action);
  } catch (err) {
    return recordFailure(h, task, "verify", err);
  }
  if (verdict.verified) await recordVerified(h, task, verdict, connector.simulated);
  else await recordFailure(h, task, "verify", new ConnectorError(`not verified: ${verdict.reason}`, true));
}

async function recordExecuted(
  h: JobHelpers,
  task: TaskContext,
  result: ExecuteResult,
  simulated: boolean,
): Promise<void> {
  const now = h.now();
  await transact(makeCtx(WORKER, h.db, now), async (tx) => {
    await tx.db.execute(sql`
      UPDATE revocation_tasks SET state = 'done', executed_at = ${now.toISOString()}::timestamptz, outcome = ${result.outcome},
             connector_kind = ${task.system.kind}, simulated = ${simulated}, last_error = NULL, error_retryable = NULL,
             evidence = coalesce(evidence, '{}'::jsonb) || ${JSON.stringify({ execute: { detail: result.detail, ...result.evidence } })}::jsonb,
             updated_at = ${now.toISOString()}::timestamptz
       WHERE id = ${task.id}`);
    await mirrorRevocation(
      tx.db,
      {
        kind: task.kind,
        targetId: task.targetId,
        systemId: task.system.id,
        identityId: task.identityId,
        deprovisionMode: task.system.deprovisionMode,
      },
      now,
      { gone: result.outcome === "already_gone" },
    );
    await refreshCaseCounters(tx.db, [task.caseId]);
    await writeAudit(tx, {
      action: "leaver.task_execute",
      target: { type: "revocation_task", id: task.id, label: task.targetLabel },
      before: { state: "running" },
      after: { state: "done", outcome: result.outcome, detail: result.detail },
      metadata: {
        caseId: task.caseId,
        system: task.system.slug,
        connector: task.system.kind,
        simulated,
        attempt: task.attempts,
      },
    });
  });
}

async function recordVerified(
  h: JobHelpers,
  task: TaskContext,
  v: Extract<VerifyResult, { verified: true }>,
  simulated: boolean,
): Promise<void> {
  const now = h.now();
  const how = simulated ? `${v.how} [simulated]` : v.how;
  await transact(makeCtx(WORKER, h.db, now), async (tx) => {
    await tx.db.execute(sql`
      UPDATE revocation_tasks SET state = 'verified', verified_at = ${now.toISOString()}::timestamptz, verification = ${how},
             outcome = CASE WHEN ${Boolean(v.gone)} THEN 'already_gone' ELSE coalesce(outcome, 'done') END,
             connector_kind = ${task.system.kind}, simulated = ${simulated},
             evidence = coalesce(evidence, '{}'::jsonb) || ${JSON.stringify({ verify: { how: v.how, gone: Boolean(v.gone), ...v.evidence } })}::jsonb,
             last_error = NULL, error_retryable = NULL, not_before = NULL, lease_until = NULL, updated_at = ${now.toISOString()}::timestamptz
       WHERE id = ${task.id}`);
    await refreshCaseCounters(tx.db, [task.caseId]);
    await writeAudit(tx, {
      action: "leaver.task_verify",
      target: { type: "revocation_task", id: task.id, label: task.targetLabel },
      before: { state: "done" },
      after: { state: "verified", how, gone: Boolean(v.gone) },
      metadata: { caseId: task.caseId, system: task.system.slug, connector: task.system.kind, simulated },
    });
  });
}

/**
 * A failed attempt: the error is shown on the task; retryable errors come back after an exponential backoff
 * (up to MAX_ATTEMPTS), others wait for a person. The case stays open either way.
 */
async function recordFailure(
  h: JobHelpers,
  task: TaskContext,
  phase: "execute" | "verify",
  err: unknown,
): Promise<void> {
  const now = h.now();
  const isConnector = err instanceof ConnectorError;
  const message = isConnector
    ? err.message
    : `unexpected error: ${(err as Error)?.message ?? String(err)}`.slice(0, 500);
  const retryable = isConnector ? err.retryable : true;
  const retry = retryable && task.attempts < MAX_ATTEMPTS;
  const notBefore = retry ? new Date(now.getTime() + retryDelayMs(task.attempts, retryBaseMs())) : null;
  // A failed verification keeps the execution ("done"); it becomes "failed" once retries run out.
  const state = phase === "verify" && retry ? "done" : "failed";
  const shown = `${phase === "verify" ? "Verify" : "Execute"} attempt ${task.attempts} of ${MAX_ATTEMPTS}: ${message}`;
  await transact(makeCtx(WORKER, h.db, now), async (tx) => {
    await tx.db.execute(sql`
      UPDATE revocation_tasks SET state = ${state}::revocation_task_state, last_error = ${shown}, error_retryable = ${retryable},
             not_before = ${notBefore?.toISOString() ?? null}::timestamptz, lease_until = NULL,
             connector_kind = ${task.system.kind}, simulated = ${task.system.simulated}, updated_at = ${now.toISOString()}::timestamptz
       WHERE id = ${task.id}`);
    await refreshCaseCounters(tx.db, [task.caseId]);
    // In the same transaction: the retry exists exactly when the failure is recorded (and before the audit
    // lock, which every transaction takes last).
    if (notBefore)
      await enqueueJobs(tx.db, [
        taskJob({ id: task.id, systemId: task.system.id, maxConcurrency: task.system.maxConcurrency }, notBefore),
      ]);
    await writeAudit(tx, {
      action: "leaver.task_fail",
      target: { type: "revocation_task", id: task.id, label: task.targetLabel },
      before: { state: phase === "verify" ? "done" : "running" },
      after: { state, error: message, retryable, nextAttemptAt: notBefore?.toISOString() ?? null },
      metadata: {
        caseId: task.caseId,
        system: task.system.slug,
        connector: task.system.kind,
        phase,
        attempt: task.attempts,
      },
    });
  });
  h.log(
    `task ${task.id} ${phase} failed (attempt ${task.attempts}): ${message}${notBefore ? `; retry at ${notBefore.toISOString()}` : ""}`,
  );
}
