import "server-only";
import { sql } from "drizzle-orm";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict } from "@/lib/errors";
import { assertOpen, lockTask } from "../lock";
import { taskTarget } from "../record";

/** Someone allowed to waive (remediation.waive) accepts that a change will not be made, and says why. */
export async function waiveTask(ctx: Ctx, input: { taskId: number; reason: string }): Promise<{ state: "waived" }> {
  authorize(ctx.actor, "remediation.waive");
  return transact(ctx, async (tx) => {
    const t = await lockTask(tx, input.taskId);
    assertOpen(t);
    if (t.state === "verified" || t.state === "waived") throw new Conflict(`This task is already ${t.state}.`);
    const now = tx.now.toISOString();
    await tx.db.execute(sql`
      UPDATE remediation_tasks SET state = 'waived', waived_by_id = ${tx.actor.id}, waived_reason = ${input.reason},
             lease_until = NULL, not_before = NULL, updated_at = ${now}::timestamptz
       WHERE id = ${t.id}`);
    await writeAudit(tx, {
      action: "remediation.waive",
      target: taskTarget(t),
      before: { state: t.state },
      after: { state: "waived", reason: input.reason },
      metadata: { origin: t.origin, originId: t.originId },
    });
    return { state: "waived" };
  });
}
