import type { JobSpec } from "@/lib/jobs/types";

export const RECONCILE_JOB = "reconciliation.run";
export const RECONCILE_SCHEDULE_JOB = "reconciliation.schedule";

/** The job of one run: never retried by the runner (a failed run is recorded as such; ask again). */
export function reconcileJob(runId: number, runAt: Date): JobSpec {
  return { name: RECONCILE_JOB, payload: { runId }, key: `reconciliation.run:${runId}`, runAt, maxAttempts: 1 };
}
