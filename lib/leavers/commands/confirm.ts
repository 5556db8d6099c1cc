import { sql } from "drizzle-orm";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict } from "@/lib/errors";
import { refreshCaseCounters } from "../counters";
import { mirrorRevocation } from "../mirror";
import { needsSecondConfirmation } from "../rules";
import { lockTask, taskTarget } from "./load";

/**
 * An analyst confirms by hand, with evidence, that a revocation was done (a manual task, or a connector
 * task that keeps failing). On privileged items and high/critical systems it counts as verified only once
 * a second, different analyst confirms too (two-person control).
 */
export async function confirmManually(
  ctx: Ctx,
  input: { taskId: number; ticket?: string; note: string },
): Promise<{ state: "done" | "verified"; awaitingSecond: boolean }> {
  authorize(ctx.actor, "leavers.manage");
  return transact(ctx, async (tx) => {
    const t = await lockTask(tx, input.taskId);
    if (t.caseStatus === "closed") throw new Conflict("The case is closed.");
    if (t.mode === "handover")
      throw new Conflict("Ownership is handed over with the new-owner picker, not confirmed by hand.");
    if (t.state === "verified" || t.state === "waived") throw new Conflict(`This task is already ${t.state}.`);
    const now = tx.now.toISOString();
    const by = { id: tx.actor.id, name: tx.actor.name, at: now, ticket: input.ticket ?? null, note: input.note };
    const awaitingSecond = t.state === "done" && t.confirmedById !== null && t.verification === null;

    if (awaitingSecond) {
      if (t.confirmedById === tx.actor.id)
        throw new Conflict("A second, different analyst must confirm this privileged revocation.");
      const how = "manual: confirmed with evidence by two analysts";
      await tx.db.execute(sql`
        UPDATE revocation_tasks SET state = 'verified', verified_at = ${now}::timestamptz, verification = ${how},
               second_confirmed_by_id = ${tx.actor.id}, lease_until = NULL, not_before = NULL, last_error = NULL,
               evidence = coalesce(evidence, '{}'::jsonb) || ${JSON.stringify({ second: by })}::jsonb, updated_at = ${now}::timestamptz
         WHERE id = ${t.id}`);
      await refreshCaseCounters(tx.db, [t.caseId]);
      await writeAudit(tx, {
        action: "leaver.task_verify",
        target: taskTarget(t),
        before: { state: "done" },
        after: { state: "verified", how, ticket: input.ticket ?? null },
        metadata: { caseId: t.caseId, second: true },
      });
      return { state: "verified", awaitingSecond: false };
    }

    const second = needsSecondConfirmation({ privileged: t.privileged, systemCriticality: t.criticality });
    const state = second ? "done" : "verified";
    const how = second ? null : "manual: confirmed with evidence";
    await tx.db.execute(sql`
      UPDATE revocation_tasks SET state = ${state}::revocation_task_state, executed_at = coalesce(executed_at, ${now}::timestamptz),
             verified_at = ${second ? null : now}::timestamptz, verification = ${how}, confirmed_by_id = ${tx.actor.id},
             connector_kind = 'manual', simulated = false, outcome = coalesce(outcome, 'done'), lease_until = NULL, not_before = NULL,
             last_error = NULL, evidence = coalesce(evidence, '{}'::jsonb) || ${JSON.stringify({ first: by })}::jsonb, updated_at = ${now}::timestamptz
       WHERE id = ${t.id}`);
    await mirrorRevocation(
      tx.db,
      {
        kind: t.kind,
        targetId: t.targetId,
        systemId: t.systemId,
        identityId: t.identityId,
        deprovisionMode: t.deprovisionMode,
      },
      tx.now,
    );
    await refreshCaseCounters(tx.db, [t.caseId]);
    await writeAudit(tx, {
      action: second ? "leaver.task_confirm" : "leaver.task_verify",
      target: taskTarget(t),
      before: { state: t.state },
      after: { state, how, ticket: input.ticket ?? null, awaitingSecondConfirmation: second },
      metadata: { caseId: t.caseId },
    });
    return { state, awaitingSecond: second };
  });
}
