import "server-only";
import { eq } from "drizzle-orm";
import { credentials, identities, remediationTasks } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid } from "@/lib/errors";
import { loadEligiblePerson } from "@/lib/people/eligible";
import { assertOpen, lockTask } from "../lock";
import { taskTarget } from "../record";

/**
 * Hands a non-human identity (and the credentials it holds) to a new accountable owner, then re-reads the owner
 * to verify — the transfer_ownership task, done inside Lockstep. Managers may do it for their own team's leavers
 * (leavers.handover; the task is scoped to the subject's team).
 */
export async function handoverOwnership(
  ctx: Ctx,
  input: { taskId: number; newOwnerId: number },
): Promise<{ state: "verified"; ownerName: string }> {
  authorize(ctx.actor, "leavers.handover");
  return transact(ctx, async (tx) => {
    const t = await lockTask(tx, input.taskId);
    if (t.action !== "transfer_ownership") throw new Conflict("Only ownership tasks are handed over.");
    assertOpen(t);
    if (t.state === "verified" || t.state === "waived") throw new Conflict(`This task is already ${t.state}.`);
    const owner = await loadEligiblePerson(tx.db, input.newOwnerId);
    if (!owner || owner.id === t.subjectId) {
      throw new Invalid("The new owner must be an active person other than the one leaving.");
    }
    const now = tx.now;
    await tx.db.update(identities).set({ ownerId: owner.id, updatedAt: now }).where(eq(identities.id, t.targetId));
    await tx.db.update(credentials).set({ ownerId: owner.id }).where(eq(credentials.holderId, t.targetId));
    // Verify by reading the owner back, as a connector would re-read its target.
    const [check] = await tx.db
      .select({ ownerId: identities.ownerId })
      .from(identities)
      .where(eq(identities.id, t.targetId));
    if (check?.ownerId !== owner.id) throw new Conflict("The new owner did not stick; try again.");
    const how = `ownership re-read: owned by ${owner.name}`;
    await tx.db
      .update(remediationTasks)
      .set({
        state: "verified",
        newOwnerId: owner.id,
        executedAt: now,
        verifiedAt: now,
        verification: how,
        connectorKind: "handover",
        confirmedById: tx.actor.id,
        outcome: "done",
        lastError: null,
        updatedAt: now,
      })
      .where(eq(remediationTasks.id, t.id));
    await writeAudit(tx, {
      action: "remediation.handover",
      target: taskTarget(t),
      before: { state: t.state },
      after: { state: "verified", newOwnerId: owner.id, newOwner: owner.name },
      metadata: { origin: t.origin, originId: t.originId, nhiId: t.targetId },
    });
    return { state: "verified", ownerName: owner.name };
  });
}
