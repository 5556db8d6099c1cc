import "server-only";
import { eq, sql } from "drizzle-orm";
import { remediationTasks } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict } from "@/lib/errors";
import { assertOpen, lockTask } from "../lock";
import { mirrorChange } from "../mirror";
import { needsSecondConfirmation } from "../model";
import { addEvidence, taskTarget } from "../record";

/**
 * Someone confirms by hand, with evidence, that a change was made (a manual task, or a connector task that keeps
 * failing). On privileged items and high/critical systems it counts as verified only once a second, different
 * person confirms too (two-person control).
 */
export async function confirmTask(
  ctx: Ctx,
  input: { taskId: number; ticket?: string; note: string },
): Promise<{ state: "done" | "verified"; awaitingSecond: boolean }> {
  authorize(ctx.actor, "remediation.manage");
  return transact(ctx, async (tx) => {
    const t = await lockTask(tx, input.taskId);
    assertOpen(t);
    if (t.mode === "handover") {
      throw new Conflict("Ownership is handed over with the new-owner picker, not confirmed by hand.");
    }
    if (t.state === "verified" || t.state === "waived") throw new Conflict(`This task is already ${t.state}.`);
    const now = tx.now;
    const by = {
      id: tx.actor.id,
      name: tx.actor.name,
      at: now.toISOString(),
      ticket: input.ticket ?? null,
      note: input.note,
    };
    const meta = { origin: t.origin, originId: t.originId };

    if (t.state === "done" && t.confirmedById !== null && t.verification === null) {
      if (t.confirmedById === tx.actor.id) {
        throw new Conflict("A second, different person must confirm this privileged change.");
      }
      const how = "manual: confirmed with evidence by two people";
      await tx.db
        .update(remediationTasks)
        .set({
          state: "verified",
          verifiedAt: now,
          verification: how,
          secondConfirmedById: tx.actor.id,
          leaseUntil: null,
          notBefore: null,
          lastError: null,
          evidence: addEvidence(JSON.stringify({ second: by })),
          updatedAt: now,
        })
        .where(eq(remediationTasks.id, t.id));
      await writeAudit(tx, {
        action: "remediation.confirm",
        target: taskTarget(t),
        before: { state: "done" },
        after: { state: "verified", how, ticket: input.ticket ?? null, second: true },
        metadata: meta,
      });
      return { state: "verified", awaitingSecond: false };
    }

    const second = needsSecondConfirmation({ privileged: t.privileged, systemCriticality: t.system.criticality });
    const state = second ? "done" : "verified";
    const how = second ? null : "manual: confirmed with evidence";
    await tx.db
      .update(remediationTasks)
      .set({
        state,
        executedAt: sql`coalesce(${remediationTasks.executedAt}, ${now.toISOString()}::timestamptz)`,
        verifiedAt: second ? null : now,
        verification: how,
        confirmedById: tx.actor.id,
        connectorKind: "manual",
        simulated: false,
        outcome: sql`coalesce(${remediationTasks.outcome}, 'done')`,
        leaseUntil: null,
        notBefore: null,
        lastError: null,
        evidence: addEvidence(JSON.stringify({ first: by })),
        updatedAt: now,
      })
      .where(eq(remediationTasks.id, t.id));
    await mirrorChange(
      tx.db,
      {
        action: t.action,
        targetId: t.targetId,
        systemId: t.system.id,
        subjectId: t.subjectId,
        params: t.params,
        deprovisionMode: t.deprovisionMode,
      },
      tx.now,
    );
    await writeAudit(tx, {
      action: "remediation.confirm",
      target: taskTarget(t),
      before: { state: t.state },
      after: { state, how, ticket: input.ticket ?? null, awaitingSecondConfirmation: second },
      metadata: meta,
    });
    return { state, awaitingSecond: second };
  });
}
