import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid } from "@/lib/errors";
import { refreshCaseCounters } from "../counters";
import { lockTask, taskTarget } from "./load";

/**
 * Hands a leaver's non-human identity (and the credentials it holds) to a new accountable owner, then
 * re-reads the owner to verify. Managers may do it for their own team's leavers (leavers.handover).
 */
export async function handoverNhi(
  ctx: Ctx,
  input: { taskId: number; newOwnerId: number },
): Promise<{ state: "verified"; ownerName: string }> {
  authorize(ctx.actor, "leavers.handover");
  return transact(ctx, async (tx) => {
    const t = await lockTask(tx, input.taskId);
    if (t.kind !== "transfer_nhi_ownership") throw new Conflict("Only ownership tasks are handed over.");
    if (t.caseStatus === "closed") throw new Conflict("The case is closed.");
    if (t.state === "verified" || t.state === "waived") throw new Conflict(`This task is already ${t.state}.`);
    const [owner] = (
      (await tx.db.execute(sql`
      SELECT id, display_name AS name FROM identities WHERE id = ${input.newOwnerId} AND kind = 'human' AND status = 'active'`)) as unknown as {
        rows: { id: number; name: string }[];
      }
    ).rows;
    if (!owner || Number(owner.id) === t.identityId)
      throw new Invalid("The new owner must be an active person other than the leaver.");
    const now = tx.now.toISOString();
    await tx.db.execute(
      sql`UPDATE identities SET owner_id = ${input.newOwnerId}, updated_at = ${now}::timestamptz WHERE id = ${t.targetId}`,
    );
    await tx.db.execute(sql`UPDATE credentials SET owner_id = ${input.newOwnerId} WHERE holder_id = ${t.targetId}`);
    // Verify by reading the owner back, as a connector would re-read its target.
    const [check] = await queryRows<{ owner_id: number }>(
      tx.db,
      sql`SELECT owner_id FROM identities WHERE id = ${t.targetId}`,
    );
    if (Number(check?.owner_id) !== input.newOwnerId) throw new Conflict("The new owner did not stick; try again.");
    const how = `ownership re-read: owned by ${owner.name}`;
    await tx.db.execute(sql`
      UPDATE revocation_tasks SET state = 'verified', new_owner_id = ${input.newOwnerId}, executed_at = ${now}::timestamptz,
             verified_at = ${now}::timestamptz, verification = ${how}, connector_kind = 'handover', confirmed_by_id = ${tx.actor.id},
             outcome = 'done', last_error = NULL, updated_at = ${now}::timestamptz
       WHERE id = ${t.id}`);
    await refreshCaseCounters(tx.db, [t.caseId]);
    await writeAudit(tx, {
      action: "leaver.task_handover",
      target: taskTarget(t),
      before: { state: t.state },
      after: { state: "verified", newOwnerId: input.newOwnerId, newOwner: owner.name },
      metadata: { caseId: t.caseId, nhiId: t.targetId },
    });
    return { state: "verified", ownerName: owner.name };
  });
}
