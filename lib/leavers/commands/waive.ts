import { sql } from "drizzle-orm";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict } from "@/lib/errors";
import { refreshCaseCounters } from "../counters";
import { lockTask, taskTarget } from "./load";

/** Someone allowed to waive (leavers.waive) accepts that a task will not be done, and says why. */
export async function waiveTask(ctx: Ctx, input: { taskId: number; reason: string }): Promise<{ state: "waived" }> {
  authorize(ctx.actor, "leavers.waive");
  return transact(ctx, async (tx) => {
    const t = await lockTask(tx, input.taskId);
    if (t.caseStatus === "closed") throw new Conflict("The case is closed.");
    if (t.state === "verified" || t.state === "waived") throw new Conflict(`This task is already ${t.state}.`);
    const now = tx.now.toISOString();
    await tx.db.execute(sql`
      UPDATE revocation_tasks SET state = 'waived', waived_by_id = ${tx.actor.id}, waived_reason = ${input.reason},
             lease_until = NULL, not_before = NULL, updated_at = ${now}::timestamptz
       WHERE id = ${t.id}`);
    await refreshCaseCounters(tx.db, [t.caseId]);
    await writeAudit(tx, {
      action: "leaver.task_waive",
      target: taskTarget(t),
      before: { state: t.state },
      after: { state: "waived", reason: input.reason },
      metadata: { caseId: t.caseId },
    });
    return { state: "waived" };
  });
}
