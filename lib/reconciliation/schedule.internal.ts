import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { writeAuditMany } from "@/lib/audit";
import { SYSTEM_ACTOR } from "@/lib/authz";
import { makeCtx, transact } from "@/lib/context";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import { reconcileJob } from "./jobs-spec";

const SCHEDULER = { ...SYSTEM_ACTOR, name: "reconciliation schedule" };

/**
 * The scheduled pass: a queued run (and its job) for every system with a real SCIM connector that has none
 * waiting or running, in one statement and one transaction.
 */
export async function scheduleReconciliations(db: Db, now: Date): Promise<number[]> {
  return transact(makeCtx(SCHEDULER, db, now), async (tx) => {
    const runs = await queryRows(
      tx.db,
      sql`
      INSERT INTO reconciliation_runs (system_id, trigger, requested_by_label, created_at)
      SELECT s.id, 'schedule', ${SCHEDULER.name}, ${now.toISOString()}::timestamptz
        FROM systems s WHERE s.connector_kind = 'scim' AND NOT s.connector_simulated
      ON CONFLICT DO NOTHING
      RETURNING id, system_id`,
      z.object({ id: col.int, system_id: col.int }),
    );
    if (runs.length === 0) return [];
    await enqueueJobs(
      tx.db,
      runs.map((r) => reconcileJob(r.id, now)),
    );
    await writeAuditMany(
      tx,
      runs.map((r) => ({
        action: "reconciliation.request" as const,
        target: { type: "system", id: r.system_id },
        after: { runId: r.id, trigger: "schedule" },
      })),
    );
    return runs.map((r) => r.id);
  });
}
