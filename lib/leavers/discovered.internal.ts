import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { leaverCases } from "@/db/schema";
import { writeAuditMany } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import { generateCaseTasks } from "./internal";

/**
 * Reconciliation found live accounts of leavers at a connected system. Where the case already has a task for the
 * account, the drift watch re-verifies it; an account the case never knew about (discovered by this run, or
 * re-created at the system) gets its tasks now — the case's own task generation, which leaves existing tasks alone
 * — and a closed case it contradicts reopens on top of the queue, as a drifted revocation does. In the caller's
 * transaction; one audit event per case that changed.
 */
export async function coverDiscoveredAccess(
  tx: Ctx,
  caseIds: readonly number[],
  source: { runId: number; system: string },
): Promise<{ tasks: number; reopened: number[] }> {
  if (caseIds.length === 0) return { tasks: 0, reopened: [] };
  const created = await generateCaseTasks(tx, caseIds);
  const byCase = new Map<number, number[]>();
  for (const t of created) byCase.set(t.originId, [...(byCase.get(t.originId) ?? []), t.id]);
  const changed = [...byCase.keys()];
  const reopened = changed.length
    ? (
        await tx.db
          .update(leaverCases)
          .set({ status: "reopened", reopenedAt: tx.now })
          .where(and(inArray(leaverCases.id, changed), eq(leaverCases.status, "closed")))
          .returning({ id: leaverCases.id })
      ).map((r) => r.id)
    : [];
  await writeAuditMany(
    tx,
    changed.map((id) => ({
      action: reopened.includes(id) ? ("leaver.reopen" as const) : ("leaver.tasks_added" as const),
      target: { type: "leaver_case", id },
      ...(reopened.includes(id) ? { before: { status: "closed" } } : {}),
      after: {
        ...(reopened.includes(id) ? { status: "reopened" } : {}),
        tasks: byCase.get(id)!.length,
        taskIds: byCase.get(id),
        reason: `live access found at ${source.system} by reconciliation`,
      },
      metadata: { reconciliationRunId: source.runId },
    })),
  );
  return { tasks: created.length, reopened };
}
