import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
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
    const now = tx.now.toISOString();
    await tx.db.execute(
      sql`UPDATE identities SET owner_id = ${owner.id}, updated_at = ${now}::timestamptz WHERE id = ${t.targetId}`,
    );
    await tx.db.execute(sql`UPDATE credentials SET owner_id = ${owner.id} WHERE holder_id = ${t.targetId}`);
    // Verify by reading the owner back, as a connector would re-read its target.
    const [check] = await queryRows(
      tx.db,
      sql`SELECT owner_id FROM identities WHERE id = ${t.targetId}`,
      z.object({ owner_id: col.intOrNull }),
    );
    if (check?.owner_id !== owner.id) throw new Conflict("The new owner did not stick; try again.");
    const how = `ownership re-read: owned by ${owner.name}`;
    await tx.db.execute(sql`
      UPDATE remediation_tasks SET state = 'verified', new_owner_id = ${owner.id}, executed_at = ${now}::timestamptz,
             verified_at = ${now}::timestamptz, verification = ${how}, connector_kind = 'handover', confirmed_by_id = ${tx.actor.id},
             outcome = 'done', last_error = NULL, updated_at = ${now}::timestamptz
       WHERE id = ${t.id}`);
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
