import { sql } from "drizzle-orm";
import { writeAudit, writeAuditMany } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict } from "@/lib/errors";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import { refreshCaseCounters } from "../counters";
import { taskJob } from "../execution";
import { lockTask, taskTarget } from "./load";

/**
 * Queues every automatable task of the given cases, tasks or batch — pending or failed ones to execute, executed
 * ("done") ones to verify — with one UPDATE, one bulk enqueue and one audit event per case, in one
 * transaction. Manual and handover tasks are left for people; tasks a worker holds right now are left to it.
 */
export async function executeTasks(
  ctx: Ctx,
  input: { caseIds?: number[]; taskIds?: number[]; batchId?: number },
): Promise<{ queued: number; cases: number }> {
  authorize(ctx.actor, "leavers.manage");
  return transact(ctx, async (tx) => {
    const now = tx.now.toISOString();
    const caseIds = `{${(input.caseIds ?? []).join(",")}}`;
    const taskIds = `{${(input.taskIds ?? []).join(",")}}`;
    const queued = (await tx.db.execute(sql`
      UPDATE revocation_tasks t
         SET state = CASE WHEN t.state = 'done' THEN 'done'::revocation_task_state ELSE 'running'::revocation_task_state END,
             not_before = CASE WHEN t.state = 'done' THEN ${now}::timestamptz END, updated_at = ${now}::timestamptz
        FROM leaver_cases c, systems s
       WHERE c.id = t.case_id AND s.id = t.system_id AND c.status <> 'closed' AND t.mode = 'connector'
         -- 'running' for 10 minutes without a live lease: its job was lost (a restart); queuing again is harmless (same key).
         AND t.state IN ('pending', 'failed', 'done', 'running') AND (t.lease_until IS NULL OR t.lease_until < ${now}::timestamptz)
         AND (t.state <> 'running' OR t.updated_at < ${now}::timestamptz - interval '10 minutes')
         AND (t.case_id = ANY(${caseIds}::int[]) OR t.id = ANY(${taskIds}::int8[]) OR c.batch_id = ${input.batchId ?? null}::int)
      RETURNING t.id, t.case_id, t.system_id, s.max_concurrency, t.target_label`)) as unknown as {
      rows: { id: number; case_id: number; system_id: number; max_concurrency: number; target_label: string }[];
    };
    const rows = queued.rows.map((r) => ({
      id: Number(r.id),
      caseId: Number(r.case_id),
      systemId: Number(r.system_id),
      maxConcurrency: Number(r.max_concurrency),
    }));
    if (rows.length === 0) return { queued: 0, cases: 0 };
    await enqueueJobs(
      tx.db,
      rows.map((r) => taskJob(r, tx.now)),
    );
    const byCase = new Map<number, number[]>();
    for (const r of rows) byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), r.id]);
    await refreshCaseCounters(tx.db, [...byCase.keys()]);
    await writeAuditMany(
      tx,
      [...byCase].map(([caseId, tasks]) => ({
        action: "leaver.execute",
        target: { type: "leaver_case", id: caseId },
        after: { queued: tasks.length, taskIds: tasks },
      })),
    );
    return { queued: rows.length, cases: byCase.size };
  });
}

/** Retry a failed task now (whatever its backoff said). */
export async function retryTask(ctx: Ctx, input: { taskId: number }): Promise<{ queued: number }> {
  authorize(ctx.actor, "leavers.manage");
  return transact(ctx, async (tx) => {
    const t = await lockTask(tx, input.taskId);
    if (t.state !== "failed") throw new Conflict("Only a failed task can be retried.");
    if (t.mode !== "connector")
      throw new Conflict("This task is carried out by hand: confirm it with evidence instead.");
    const result = await executeTasks(tx, { taskIds: [t.id] });
    return { queued: result.queued };
  });
}

/** Re-reads the target now for an executed (done) connector task. */
export async function verifyTask(ctx: Ctx, input: { taskId: number }): Promise<{ queued: number }> {
  authorize(ctx.actor, "leavers.manage");
  return transact(ctx, async (tx) => {
    const t = await lockTask(tx, input.taskId);
    if (t.mode !== "connector") throw new Conflict("A manual task is verified by its confirmations.");
    if (t.state !== "done") throw new Conflict("Only an executed task waiting for verification can be verified.");
    await tx.db.execute(
      sql`UPDATE revocation_tasks SET not_before = ${tx.now.toISOString()}::timestamptz, updated_at = ${tx.now.toISOString()}::timestamptz WHERE id = ${t.id}`,
    );
    await enqueueJobs(tx.db, [taskJob({ id: t.id, systemId: t.systemId, maxConcurrency: t.maxConcurrency }, tx.now)]);
    await writeAudit(tx, {
      action: "leaver.task_verify_request",
      target: taskTarget(t),
      metadata: { caseId: t.caseId },
    });
    return { queued: 1 };
  });
}
