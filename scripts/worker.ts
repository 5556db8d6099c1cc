import { getDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { prepareJobs, startWorker, stopWorker } from "@/lib/jobs/worker";
import { runScript } from "./run-script";

/**
 * `npm run worker`: a standalone job worker (leaver revocations, drift watch). On PostgreSQL any number of
 * these and of app servers share the jobs; on embedded PGlite the app server runs the jobs itself (one
 * process per data folder), so this refuses with the PGlite lock message if the server holds the folder.
 */
runScript(async () => {
  const handle = await getDatabase();
  await migrateDatabase(handle);
  await prepareJobs();
  const worker = await startWorker({ concurrency: Number(process.env.LOCKSTEP_WORKER_CONCURRENCY ?? 8) });
  console.log(`Lockstep worker running (${worker.backend}) on ${handle.description}; Ctrl-C stops it.`);
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  await stopWorker();
  await handle.close();
});
