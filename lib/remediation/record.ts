import "server-only";
import { eq, sql } from "drizzle-orm";
import { remediationTasks } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { type Actor, SYSTEM_ACTOR } from "@/lib/authz";
import { ConnectorError, type ExecuteResult, type VerifyResult } from "@/lib/connectors/types";
import { type Ctx, makeCtx, transact } from "@/lib/context";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import type { JobHelpers } from "@/lib/jobs/types";
import { type CircuitAfterFailure, noteFailure, noteSuccess } from "./circuit.internal";
import type { TaskContext } from "./context";
import { mirrorChange } from "./mirror";
import { MAX_ATTEMPTS, retryBaseMs, retryDelayMs } from "./model";
import { taskJob } from "./queue-job";

/** The worker acts as the system, named for the log so an auditor reads who did what. */
export const WORKER: Actor = { ...SYSTEM_ACTOR, name: "connector worker" };

export const taskTarget = (t: { id: number; targetLabel: string }) => ({
  type: "remediation_task",
  id: t.id,
  label: t.targetLabel,
});

/** Adds to the task's evidence (each phase keeps its own key), in the same statement as the state change. */
export const addEvidence = (json: string) => sql`coalesce(${remediationTasks.evidence}, '{}'::jsonb) || ${json}::jsonb`;

/** What every event about a task carries, so an origin's timeline can find it. */
export const taskMeta = (t: Pick<TaskContext, "origin" | "originId" | "system">) => ({
  origin: t.origin,
  originId: t.originId,
  system: t.system.slug,
  connector: t.system.kind,
});

export const mirrored = (task: TaskContext) => ({
  action: task.action,
  targetId: task.targetId,
  systemId: task.system.id,
  subjectId: task.subjectId,
  params: task.params,
  deprovisionMode: task.system.deprovisionMode,
});

export async function recordExecuted(h: JobHelpers, task: TaskContext, result: ExecuteResult, simulated: boolean) {
  const now = h.now();
  await transact(makeCtx(WORKER, h.db, now), async (tx) => {
    const evidence = JSON.stringify({ execute: { detail: result.detail, ...result.evidence } });
    await tx.db
      .update(remediationTasks)
      .set({
        state: "done",
        executedAt: now,
        outcome: result.outcome,
        connectorKind: task.system.kind,
        simulated,
        lastError: null,
        errorRetryable: null,
        evidence: addEvidence(evidence),
        updatedAt: now,
      })
      .where(eq(remediationTasks.id, task.id));
    await mirrorChange(tx.db, mirrored(task), now, { gone: result.outcome === "already_gone" });
    const reopened = await noteSuccess(tx.db, task.system.id, now);
    await writeAudit(tx, {
      action: "remediation.execute",
      target: taskTarget(task),
      before: { state: "running" },
      after: { state: "done", outcome: result.outcome, detail: result.detail },
      metadata: { ...taskMeta(task), simulated, attempt: task.attempts },
    });
    if (reopened) await circuitClosed(tx, task);
  });
}

export async function recordVerified(
  h: JobHelpers,
  task: TaskContext,
  v: Extract<VerifyResult, { verified: true }>,
  simulated: boolean,
) {
  const now = h.now();
  const how = simulated ? `${v.how} [simulated]` : v.how;
  const evidence = JSON.stringify({ verify: { how: v.how, gone: Boolean(v.gone), ...v.evidence } });
  await transact(makeCtx(WORKER, h.db, now), async (tx) => {
    await tx.db
      .update(remediationTasks)
      .set({
        state: "verified",
        verifiedAt: now,
        verification: how,
        outcome: v.gone ? "already_gone" : sql`coalesce(${remediationTasks.outcome}, 'done')`,
        connectorKind: task.system.kind,
        simulated,
        evidence: addEvidence(evidence),
        lastError: null,
        errorRetryable: null,
        notBefore: null,
        leaseUntil: null,
        updatedAt: now,
      })
      .where(eq(remediationTasks.id, task.id));
    const reopened = await noteSuccess(tx.db, task.system.id, now);
    await writeAudit(tx, {
      action: "remediation.verify",
      target: taskTarget(task),
      before: { state: "done" },
      after: { state: "verified", how, gone: Boolean(v.gone) },
      metadata: { ...taskMeta(task), simulated },
    });
    if (reopened) await circuitClosed(tx, task);
  });
}

/**
 * A failed attempt: the error is shown on the task; retryable errors come back after an exponential backoff
 * (up to MAX_ATTEMPTS), others wait for a person. The origin stays open either way.
 */
export async function recordFailure(h: JobHelpers, task: TaskContext, phase: "execute" | "verify", err: unknown) {
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
    // A system that keeps failing opens its circuit: from then on the task waits for it rather than failing.
    const circuit = retryable && isConnector ? await noteFailure(tx.db, task.system.id, message, now) : null;
    if (circuit?.open && circuit.probeAt) return waitForSystem(tx, task, phase, message, circuit);
    await tx.db
      .update(remediationTasks)
      .set({
        state,
        lastError: shown,
        errorRetryable: retryable,
        notBefore,
        leaseUntil: null,
        connectorKind: task.system.kind,
        simulated: task.system.simulated,
        updatedAt: now,
      })
      .where(eq(remediationTasks.id, task.id));
    // In the same transaction: the retry exists exactly when the failure is recorded (and before the audit
    // lock, which every transaction takes last).
    if (notBefore) await enqueueJobs(tx.db, [taskJob({ id: task.id, system: task.system }, notBefore)]);
    await writeAudit(tx, {
      action: "remediation.fail",
      target: taskTarget(task),
      before: { state: phase === "verify" ? "done" : "running" },
      after: { state, error: message, retryable, nextAttemptAt: notBefore?.toISOString() ?? null },
      metadata: { ...taskMeta(task), phase, attempt: task.attempts },
    });
  });
  h.log(
    `task ${task.id} ${phase} failed (attempt ${task.attempts}): ${message}${notBefore ? `; retry at ${notBefore.toISOString()}` : ""}`,
  );
}

/** The failure left the system's circuit open: the task is parked until the probe, its attempt not charged. */
async function waitForSystem(
  tx: Ctx,
  task: TaskContext,
  phase: "execute" | "verify",
  message: string,
  circuit: CircuitAfterFailure,
) {
  const until = circuit.probeAt ?? tx.now;
  const state = phase === "verify" ? "done" : "running";
  await tx.db
    .update(remediationTasks)
    .set({
      state,
      attempts: Math.max(0, task.attempts - 1),
      lastError: `${task.system.name} is not answering (${circuit.failures} failures in a row): waiting for it, next try at ${until.toISOString()}. Last error: ${message}`,
      errorRetryable: true,
      notBefore: until,
      leaseUntil: null,
      connectorKind: task.system.kind,
      simulated: task.system.simulated,
      updatedAt: tx.now,
    })
    .where(eq(remediationTasks.id, task.id));
  await enqueueJobs(tx.db, [taskJob({ id: task.id, system: task.system }, until)]);
  if (circuit.opened) {
    await writeAudit(tx, {
      action: "connector.circuit_open",
      target: { type: "system", id: task.system.id, label: task.system.name },
      after: { failures: circuit.failures, probeAt: until.toISOString(), error: message },
    });
  }
  await writeAudit(tx, {
    action: "remediation.fail",
    target: taskTarget(task),
    before: { state: phase === "verify" ? "done" : "running" },
    after: { state, error: message, retryable: true, waitingUntil: until.toISOString(), circuit: "open" },
    metadata: { ...taskMeta(task), phase, attempt: task.attempts },
  });
}

/** The system answered a probe: its circuit closed and the tasks that waited were woken (noteSuccess). */
async function circuitClosed(tx: Ctx, task: TaskContext) {
  await writeAudit(tx, {
    action: "connector.circuit_close",
    target: { type: "system", id: task.system.id, label: task.system.name },
    after: { probe: { task: task.id } },
  });
}
