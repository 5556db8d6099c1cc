import { FACTOR_JOBS, FACTOR_SCHEDULES } from "@/lib/factors/jobs";
import { LEAVER_JOBS, LEAVER_SCHEDULES } from "@/lib/leavers/jobs";
import type { JobHandlers, Schedule } from "./types";

/** Every pillar's job handlers and schedules: add yours here. */
export const JOB_HANDLERS: JobHandlers = { ...LEAVER_JOBS, ...FACTOR_JOBS };
export const JOB_SCHEDULES: Schedule[] = [...LEAVER_SCHEDULES, ...FACTOR_SCHEDULES];
