import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { leaverCases, remediationTasks } from "@/db/schema";
import { writeAuditMany } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { Conflict, NotFound } from "@/lib/errors";
import { type DriftCheck, type DriftHook, recheckTasks } from "@/lib/remediation/drift";

/**
 * The leaver pillar's answer to a drift-watch pass over a closed case: the check is recorded on the case, and a
 * revocation that no longer holds reopens the case and puts it on top of the queue (its task is back to pending;
 * an analyst runs it again).
 */
export const reopenCaseOnDrift: DriftHook = async (tx, checks) => {
  const byCase = new Map<number, DriftCheck[]>();
  for (const c of checks) byCase.set(c.task.originId, [...(byCase.get(c.task.originId) ?? []), c]);
  const caseIds = [...byCase.keys()];
  await tx.db.update(leaverCases).set({ lastDriftCheckAt: tx.now }).where(inArray(leaverCases.id, caseIds));
  const reopen = caseIds.filter((id) => byCase.get(id)!.some((c) => c.outcome === "drifted"));
  if (reopen.length) {
    await tx.db
      .update(leaverCases)
      .set({ status: "reopened", reopenedAt: tx.now })
      .where(and(inArray(leaverCases.id, reopen), eq(leaverCases.status, "closed")));
  }
  await writeAuditMany(tx, [
    ...caseIds.map((id) => {
      const list = byCase.get(id)!;
      return {
        action: "leaver.drift_check" as const,
        target: { type: "leaver_case", id },
        after: {
          checked: list.length,
          held: list.filter((c) => c.outcome === "held").length,
          drifted: list.filter((c) => c.outcome === "drifted").length,
          errors: list.filter((c) => c.outcome === "error").length,
        },
      };
    }),
    ...reopen.map((id) => ({
      action: "leaver.reopen" as const,
      target: { type: "leaver_case", id },
      before: { status: "closed" },
      after: {
        status: "reopened",
        drifted: byCase
          .get(id)!
          .filter((c) => c.outcome === "drifted")
          .map((c) => ({ taskId: c.task.id, what: c.task.targetLabel, detail: c.detail })),
      },
    })),
  ]);
};

/** An analyst re-verifies one closed case's revocations now (the daily drift watch does the same). */
export async function checkDriftNow(
  ctx: Ctx,
  input: { caseId: number },
): Promise<{ checked: number; drifted: number }> {
  authorize(ctx.actor, "leavers.manage");
  const [c] = await ctx.db
    .select({ status: leaverCases.status })
    .from(leaverCases)
    .where(eq(leaverCases.id, input.caseId));
  if (!c) throw new NotFound("That case");
  if (c.status !== "closed") throw new Conflict("Only a closed case is re-verified for drift.");
  const tasks = await ctx.db
    .select({ id: remediationTasks.id })
    .from(remediationTasks)
    .where(
      and(
        eq(remediationTasks.caseId, input.caseId),
        eq(remediationTasks.state, "verified"),
        eq(remediationTasks.mode, "connector"),
      ),
    )
    .orderBy(remediationTasks.priority, remediationTasks.id);
  return recheckTasks(
    ctx.db,
    tasks.map((t) => t.id),
    ctx.now,
    { leaver_case: reopenCaseOnDrift },
    ctx.actor,
  );
}
