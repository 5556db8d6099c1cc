import "server-only";
import { and, eq } from "drizzle-orm";
import { identities, leaverCases, remediationTasks } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, NotFound } from "@/lib/errors";
import { loadLeaverPolicy } from "../policy";

/**
 * Closes a case once every task is verified or waived. The person is now gone (status disabled), and the drift
 * watch re-verifies the case's connector revocations daily for the policy's number of days.
 */
export async function closeCase(
  ctx: Ctx,
  input: { caseId: number },
): Promise<{ closedAt: string; driftWatchUntil: string }> {
  authorize(ctx.actor, "leavers.manage");
  return transact(ctx, async (tx) => {
    const [c] = await tx.db
      .select({
        id: leaverCases.id,
        status: leaverCases.status,
        identityId: leaverCases.identityId,
        name: identities.displayName,
        total: leaverCases.tasksTotal,
        verified: leaverCases.tasksVerified,
        waived: leaverCases.tasksWaived,
      })
      .from(leaverCases)
      .innerJoin(identities, eq(identities.id, leaverCases.identityId))
      .where(eq(leaverCases.id, input.caseId))
      .for("update", { of: leaverCases });
    if (!c) throw new NotFound("That case");
    if (c.status === "closed") throw new Conflict("The case is already closed.");
    // The counters are kept by the database in this same transaction (migration 0016), so they are current.
    const outstanding = c.total - c.verified - c.waived;
    if (outstanding > 0) {
      throw new Conflict(`${outstanding} task${outstanding === 1 ? " is" : "s are"} not verified or waived yet.`);
    }
    const policy = await loadLeaverPolicy(tx.db);
    const until = new Date(tx.now.getTime() + policy.driftWatchDays * 86_400_000);
    await tx.db
      .update(leaverCases)
      .set({
        status: "closed",
        closedAt: tx.now,
        closedById: tx.actor.id,
        driftWatchUntil: until,
        lastDriftCheckAt: tx.now,
      })
      .where(eq(leaverCases.id, c.id));
    // The drift watch re-reads what the connectors changed until then.
    await tx.db
      .update(remediationTasks)
      .set({ driftWatchUntil: until, lastDriftCheckAt: tx.now })
      .where(
        and(
          eq(remediationTasks.caseId, c.id),
          eq(remediationTasks.state, "verified"),
          eq(remediationTasks.mode, "connector"),
        ),
      );
    await tx.db
      .update(identities)
      .set({ status: "disabled", updatedAt: tx.now })
      .where(and(eq(identities.id, c.identityId), eq(identities.status, "leaver")));
    await writeAudit(tx, {
      action: "leaver.close",
      target: { type: "leaver_case", id: c.id, label: c.name },
      before: { status: c.status },
      after: { status: "closed", tasks: c.total, waived: c.waived, driftWatchUntil: until.toISOString() },
    });
    return { closedAt: tx.now.toISOString(), driftWatchUntil: until.toISOString() };
  });
}
