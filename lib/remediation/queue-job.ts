import type { JobSpec } from "@/lib/jobs/types";

export const RUN_TASK_JOB = "remediation.run_task";

/** The job that carries out (then verifies) one task, in its system's concurrency group. */
export function taskJob(t: { id: number; system: { id: number; maxConcurrency: number } }, runAt?: Date): JobSpec {
  return {
    name: RUN_TASK_JOB,
    payload: { taskId: t.id },
    key: `task:${t.id}`,
    runAt,
    concurrency: { group: `system:${t.system.id}`, limit: Math.max(1, t.system.maxConcurrency), slot: t.id },
  };
}
