import "server-only";
import { and, eq, inArray, notInArray, or, sql } from "drizzle-orm";
import { identities, leaverCases, remediationTasks } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, NotFound } from "@/lib/errors";

/**
 * Calls a leaver case off because the person was re-activated before it took effect (SCIM `active=true` after
 * `active=false`, e.g. an IdP assignment removed by mistake and restored). Only while nothing has happened yet:
 * before the effective time, and no task queued, run or verified — otherwise revocations may be under way and a
 * person coming back is a rehire an analyst handles (409). The case is closed with `cancelled_at` and no drift
 * watch, its unstarted tasks are waived with the reason, and the person is active again.
 */
export async function cancelCaseByProvisioning(
  ctx: Ctx,
  input: { caseId: number; reason: string },
): Promise<{ waivedTasks: number }> {
  authorize(ctx.actor, "scim.provision");
  return transact(ctx, async (tx) => {
    const [c] = await tx.db
      .select({
        id: leaverCases.id,
        status: leaverCases.status,
        effectiveAt: leaverCases.effectiveAt,
        identityId: leaverCases.identityId,
        name: identities.displayName,
      })
      .from(leaverCases)
      .innerJoin(identities, eq(identities.id, leaverCases.identityId))
      .where(eq(leaverCases.id, input.caseId))
      .for("update", { of: leaverCases });
    if (!c) throw new NotFound("That case");
    if (c.status === "closed") throw new Conflict("The case is already closed.");
    if (tx.now >= c.effectiveAt) {
      throw new Conflict(
        `Leaver case #${c.id} took effect at ${c.effectiveAt.toISOString()}: re-activation no longer cancels it. An analyst handles the return.`,
      );
    }
    const [started] = await tx.db
      .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
      .from(remediationTasks)
      .where(
        and(
          eq(remediationTasks.caseId, c.id),
          or(inArray(remediationTasks.state, ["running", "done", "verified"]), sql`${remediationTasks.attempts} > 0`),
        ),
      );
    if (started.n > 0) {
      throw new Conflict(
        `Leaver case #${c.id} has ${started.n} revocation task${started.n === 1 ? "" : "s"} already queued or run: re-activation no longer cancels it. An analyst handles the return.`,
      );
    }
    const waived = await tx.db
      .update(remediationTasks)
      .set({
        state: "waived",
        waivedById: tx.actor.id,
        waivedReason: input.reason,
        leaseUntil: null,
        notBefore: null,
        updatedAt: tx.now,
      })
      .where(and(eq(remediationTasks.caseId, c.id), notInArray(remediationTasks.state, ["waived", "verified"])))
      .returning({ id: remediationTasks.id });
    await tx.db
      .update(leaverCases)
      .set({ status: "closed", closedAt: tx.now, closedById: tx.actor.id, cancelledAt: tx.now })
      .where(eq(leaverCases.id, c.id));
    await tx.db
      .update(identities)
      .set({ status: "active", updatedAt: tx.now })
      .where(and(eq(identities.id, c.identityId), eq(identities.status, "leaver")));
    await writeAudit(tx, {
      action: "leaver.cancel",
      target: { type: "leaver_case", id: c.id, label: c.name },
      before: { status: c.status },
      after: { status: "closed", cancelled: true, waivedTasks: waived.length, reason: input.reason },
    });
    return { waivedTasks: waived.length };
  });
}
