import "server-only";
import { getDatabase } from "@/db/client";
import { DatabaseSetupError } from "@/db/errors";
import { migrateDatabase } from "@/db/migrate";

/**
 * Server start: a bad DATABASE_URL or a PGlite folder held by another process stops the server with one
 * clear line, not a stack trace on the first request.
 */
export async function prepareServer(): Promise<void> {
  try {
    const handle = await getDatabase();
    await migrateDatabase(handle);
    console.log(`[lockstep] database ready: ${handle.description}`);
    const { checkpointStatus } = await import("@/lib/audit/checkpoint");
    console.log(`[lockstep] ${checkpointStatus()}`);
    // Background jobs (leaver revocations, drift watch): graphile-worker on PostgreSQL, the in-process
    // runner on PGlite. LOCKSTEP_WORKER=0 leaves the work to standalone `npm run worker` processes.
    const { prepareJobs, startWorker } = await import("@/lib/jobs/worker");
    await prepareJobs();
    if (process.env.LOCKSTEP_WORKER !== "0") {
      const worker = await startWorker();
      console.log(`[lockstep] job worker running (${worker.backend})`);
    }
  } catch (err) {
    if (err instanceof DatabaseSetupError) {
      console.error(`lockstep: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
