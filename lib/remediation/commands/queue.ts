import "server-only";
import { eq } from "drizzle-orm";
import { remediationTasks } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict } from "@/lib/errors";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import { queueTasks } from "../internal";
import { assertOpen, lockTask } from "../lock";
import { taskJob } from "../queue-job";
import { taskTarget } from "../record";

/** Queues the given connector tasks now (a task's "Execute" button): pending or failed ones run, executed ones re-verify. */
export async function queueTaskIds(ctx: Ctx, input: { taskIds: number[] }): Promise<{ queued: number }> {
  authorize(ctx.actor, "remediation.manage");
  return transact(ctx, async (tx) => ({ queued: (await queueTasks(tx, { taskIds: input.taskIds })).length }));
}

/** Retry a failed connector task now, whatever its backoff said. */
export async function retryTask(ctx: Ctx, input: { taskId: number }): Promise<{ queued: number }> {
  authorize(ctx.actor, "remediation.manage");
  return transact(ctx, async (tx) => {
    const t = await lockTask(tx, input.taskId);
    assertOpen(t);
    if (t.state !== "failed") throw new Conflict("Only a failed task can be retried.");
    if (t.mode !== "connector")
      throw new Conflict("This task is carried out by hand: confirm it with evidence instead.");
    const queued = await queueTasks(tx, { taskIds: [t.id] }, "remediation.retry");
    return { queued: queued.length };
  });
}

/** Re-reads the target now for an executed (done) connector task. */
export async function recheckTask(ctx: Ctx, input: { taskId: number }): Promise<{ queued: number }> {
  authorize(ctx.actor, "remediation.manage");
  return transact(ctx, async (tx) => {
    const t = await lockTask(tx, input.taskId);
    if (t.mode !== "connector") throw new Conflict("A manual task is verified by its confirmations.");
    if (t.state !== "done") throw new Conflict("Only an executed task waiting for verification can be verified.");
    await tx.db
      .update(remediationTasks)
      .set({ notBefore: tx.now, updatedAt: tx.now })
      .where(eq(remediationTasks.id, t.id));
    await enqueueJobs(tx.db, [taskJob({ id: t.id, system: t.system }, tx.now)]);
    await writeAudit(tx, {
      action: "remediation.recheck",
      target: taskTarget(t),
      metadata: { origin: t.origin, originId: t.originId },
    });
    return { queued: 1 };
  });
}
