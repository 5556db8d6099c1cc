import type { JobHandlers, JobHelpers, Schedule } from "@/lib/jobs/types";
import { refreshDuePostures, writeDailySnapshot } from "./snapshot";

/** The factor pillar's background jobs, registered in lib/jobs/handlers.ts. */
const POSTURE_EXPIRE_JOB = "posture.expire";
const POSTURE_SNAPSHOT_JOB = "posture.snapshot";

async function expireJob(_payload: Record<string, unknown>, h: JobHelpers): Promise<void> {
  const n = await refreshDuePostures(h.db, h.now());
  if (n) h.log(`posture: refreshed ${n} people whose factors or privileged grants expired`);
}

async function snapshotJob(_payload: Record<string, unknown>, h: JobHelpers): Promise<void> {
  const r = await writeDailySnapshot(h.db, h.now());
  h.log(`posture: snapshot ${r.day} (${r.postureRows} distribution rows, ${r.kpiRows} figures)`);
}

export const FACTOR_JOBS: JobHandlers = { [POSTURE_EXPIRE_JOB]: expireJob, [POSTURE_SNAPSHOT_JOB]: snapshotJob };

export const FACTOR_SCHEDULES: Schedule[] = [
  // Factors and break-glass grants expire by the clock: catch those rows within five minutes.
  { name: POSTURE_EXPIRE_JOB, cron: "*/5 * * * *" },
  // Hourly, replacing today's rows: the day's point stays current and a missed run costs an hour, not a day.
  { name: POSTURE_SNAPSHOT_JOB, cron: process.env.LOCKSTEP_POSTURE_SNAPSHOT_CRON ?? "50 * * * *" },
];
