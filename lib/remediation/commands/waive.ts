import "server-only";
import { eq } from "drizzle-orm";
import { remediationTasks } from "@/db/schema";
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
    await tx.db
      .update(remediationTasks)
      .set({
        state: "waived",
        waivedById: tx.actor.id,
        waivedReason: input.reason,
        leaseUntil: null,
        notBefore: null,
        updatedAt: tx.now,
      })
      .where(eq(remediationTasks.id, t.id));
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
