import type { JobHandlers, Schedule } from "@/lib/jobs/types";
import { DRIFT_JOB, DRIFT_SCHEDULE, driftWatchJob } from "./drift";
import { RUN_TASK_JOB, runTaskJob } from "./execution";

/** The leaver pillar's background jobs, registered with whichever runner lib/jobs starts. */
export const LEAVER_JOBS: JobHandlers = {
  [RUN_TASK_JOB]: runTaskJob,
  [DRIFT_JOB]: driftWatchJob,
};
export const LEAVER_SCHEDULES: Schedule[] = [DRIFT_SCHEDULE];
