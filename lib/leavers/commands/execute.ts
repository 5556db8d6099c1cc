import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { bigintArray, intArray } from "@/db/sql";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { queueTasks } from "@/lib/remediation/internal";

/**
 * Queues every automatable task of the given cases, tasks or batch through the remediation engine — pending or
 * failed ones to execute, executed ones to verify — in one transaction with one audit event per case.
 */
export async function executeCases(
  ctx: Ctx,
  input: { caseIds?: number[]; taskIds?: number[]; batchId?: number },
): Promise<{ queued: number; cases: number }> {
  authorize(ctx.actor, "remediation.manage");
  return transact(ctx, async (tx) => {
    const caseIds = [...(input.caseIds ?? [])];
    if (input.batchId !== undefined) {
      const inBatch = await queryRows(
        tx.db,
        sql`SELECT id FROM leaver_cases WHERE batch_id = ${input.batchId} AND status <> 'closed'`,
        z.object({ id: col.int }),
      );
      caseIds.push(...inBatch.map((c) => c.id));
    }
    const open = await queryRows(
      tx.db,
      sql`SELECT id FROM leaver_cases WHERE id = ANY(${intArray(caseIds)}) AND status <> 'closed'`,
      z.object({ id: col.int }),
    );
    const taskIds = input.taskIds?.length
      ? await queryRows(
          tx.db,
          sql`SELECT t.id FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id
               WHERE t.id = ANY(${bigintArray(input.taskIds)}) AND c.status <> 'closed'`,
          z.object({ id: col.int }),
        )
      : [];
    const queued = await queueTasks(tx, {
      taskIds: taskIds.map((t) => t.id),
      origin: { type: "leaver_case", ids: open.map((c) => c.id) },
    });
    return { queued: queued.length, cases: new Set(queued.map((q) => q.originId)).size };
  });
}
