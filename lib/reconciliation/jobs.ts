import { z } from "zod";
import type { JobHandlers, Schedule } from "@/lib/jobs/types";
import { RECONCILE_JOB, RECONCILE_SCHEDULE_JOB } from "./jobs-spec";
import { runReconciliation } from "./run.internal";
import { scheduleReconciliations } from "./schedule.internal";

const payload = z.object({ runId: z.number().int().positive() });

/** Reconciliation's jobs, registered in lib/jobs/handlers.ts. */
export const RECONCILIATION_JOBS: JobHandlers = {
  [RECONCILE_JOB]: async (p, h) => {
    const { runId } = payload.parse(p);
    const outcome = await runReconciliation(h.db, runId, h.now, { log: h.log });
    h.log(`reconciliation run ${runId}: ${outcome.status}${outcome.error ? ` (${outcome.error})` : ""}`);
  },
  [RECONCILE_SCHEDULE_JOB]: async (_p, h) => {
    const runs = await scheduleReconciliations(h.db, h.now());
    if (runs.length) h.log(`reconciliation: ${runs.length} systems queued`);
  },
};

export const RECONCILIATION_SCHEDULES: Schedule[] = [
  // Daily at 03:30 UTC by default, before the drift watch (04:00) re-verifies what it flags.
  { name: RECONCILE_SCHEDULE_JOB, cron: process.env.LOCKSTEP_RECONCILE_CRON ?? "30 3 * * *" },
];
