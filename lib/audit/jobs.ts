import type { JobHandlers, Schedule } from "@/lib/jobs/types";
import { ChainContradictsCheckpoint, checkpointNow } from "./checkpoint";

const CHECKPOINT_JOB = "audit.checkpoint";

/** The audit log's jobs, registered in lib/jobs/handlers.ts. */
export const AUDIT_JOBS: JobHandlers = {
  [CHECKPOINT_JOB]: async (_p, h) => {
    try {
      const made = await checkpointNow(h.db, h.now());
      h.log(
        made.checkpoint
          ? `audit checkpoint: event #${made.checkpoint.headId}, ${made.checkpoint.count} events`
          : `audit checkpoint skipped: ${made.note}`,
      );
    } catch (err) {
      // Said loudly and not retried: signing again cannot make a cut or rewritten chain whole.
      if (err instanceof ChainContradictsCheckpoint)
        h.log(`AUDIT CHAIN TAMPERED — no checkpoint signed: ${err.message}`);
      else throw err;
    }
  },
};

export const AUDIT_SCHEDULES: Schedule[] = [
  // Every 10 minutes by default: events after the latest checkpoint are what an owner could still cut unseen.
  { name: CHECKPOINT_JOB, cron: process.env.LOCKSTEP_AUDIT_CHECKPOINT_CRON ?? "*/10 * * * *" },
];
