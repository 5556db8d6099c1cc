import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { reconciliationRuns, systems } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Invalid, NotFound } from "@/lib/errors";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import { reconcileJob } from "./jobs-spec";
import type { RequestReconciliationInput } from "./schemas";

/**
 * An analyst or admin asks for a reconciliation of one SCIM-connected system now: a queued run and its job, in one
 * transaction. While a run of the system waits or runs, asking again returns that run.
 */
export async function requestReconciliation(
  ctx: Ctx,
  input: RequestReconciliationInput,
): Promise<{ runId: number; alreadyRunning: boolean }> {
  authorize(ctx.actor, "imports.run");
  return transact(ctx, async (tx) => {
    const [system] = await tx.db
      .select({
        id: systems.id,
        name: systems.name,
        kind: systems.connectorKind,
        simulated: systems.connectorSimulated,
      })
      .from(systems)
      .where(eq(systems.id, input.systemId));
    if (!system) throw new NotFound("That system");
    if (system.kind !== "scim") throw new Invalid(`${system.name} has no SCIM connector to read accounts from.`);
    if (system.simulated)
      throw new Invalid(`${system.name}'s connector is simulated: there is no real system to reconcile with.`);
    const [created] = await tx.db
      .insert(reconciliationRuns)
      .values({
        systemId: system.id,
        trigger: "manual",
        requestedById: ctx.actor.id,
        requestedByLabel: ctx.actor.name,
        createdAt: tx.now,
      })
      .onConflictDoNothing()
      .returning({ id: reconciliationRuns.id });
    if (!created) {
      const [active] = await tx.db
        .select({ id: reconciliationRuns.id })
        .from(reconciliationRuns)
        .where(
          and(eq(reconciliationRuns.systemId, system.id), inArray(reconciliationRuns.status, ["queued", "running"])),
        );
      if (!active) throw new Invalid("A run of this system just finished: ask again.");
      return { runId: active.id, alreadyRunning: true };
    }
    await enqueueJobs(tx.db, [reconcileJob(created.id, tx.now)]);
    await writeAudit(tx, {
      action: "reconciliation.request",
      target: { type: "system", id: system.id, label: system.name },
      after: { runId: created.id, trigger: "manual" },
    });
    return { runId: created.id, alreadyRunning: false };
  });
}
