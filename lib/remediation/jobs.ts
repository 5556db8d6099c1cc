import type { JobHandlers, Schedule } from "@/lib/jobs/types";
import { DRIFT_JOB, DRIFT_SCHEDULE, type DriftHooks, driftWatchJob } from "./drift";
import { RUN_TASK_JOB } from "./queue-job";
import { runTaskJob } from "./run";

/** The engine's jobs; the origins' drift hooks come from the composition root (lib/jobs/handlers.ts). */
export function remediationJobs(hooks: DriftHooks): JobHandlers {
  return {
    [RUN_TASK_JOB]: runTaskJob,
    // Jobs queued before the engine was shared carry the leaver pillar's old name: run them the same way.
    "leaver.run_task": runTaskJob,
    [DRIFT_JOB]: driftWatchJob(hooks),
  };
}

export const REMEDIATION_SCHEDULES: Schedule[] = [DRIFT_SCHEDULE];
