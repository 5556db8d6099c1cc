import type { Db } from "@/db/client";
import { enqueueJobs } from "./enqueue";
import type { JobHandlers, Schedule } from "./types";

export type GraphileRunner = { stop: () => Promise<void>; promise: Promise<void> };

/** Installs or upgrades graphile-worker's own schema (idempotent; safe from several processes at once). */
export async function migrateGraphile(connectionString: string): Promise<void> {
  const { runMigrations } = await import("graphile-worker");
  await runMigrations({ connectionString, logger: quietLogger(await import("graphile-worker")) });
}

function quietLogger(gw: typeof import("graphile-worker")) {
  return new gw.Logger((scope) => (level, message) => {
    if (level === "error" || level === "warning") console.error(`[worker] ${message}`, scope.taskIdentifier ?? "");
  });
}

/**
 * Runs the handlers with graphile-worker: jobs live in PostgreSQL, any number of app or worker processes
 * share them (SKIP LOCKED), retries back off, schedules run once across processes. Handlers get the app's
 * own database handle, exactly as under the local runner.
 */
export async function startGraphileWorker(opts: {
  connectionString: string;
  db: Db;
  handlers: JobHandlers;
  concurrency: number;
  schedules: Schedule[];
  pollInterval?: number;
}): Promise<GraphileRunner> {
  const gw = await import("graphile-worker");
  const taskList = Object.fromEntries(
    Object.entries(opts.handlers).map(([name, handler]) => [
      name,
      async (payload: unknown, helpers: { logger: { info: (m: string) => void } }) =>
        handler((payload ?? {}) as Record<string, unknown>, {
          db: opts.db,
          now: () => new Date(),
          enqueue: (jobs) => enqueueJobs(opts.db, jobs),
          log: (line) => helpers.logger.info(line),
        }),
    ]),
  );
  const runner = await gw.run({
    connectionString: opts.connectionString,
    concurrency: opts.concurrency,
    noHandleSignals: true,
    pollInterval: opts.pollInterval ?? 1000,
    logger: quietLogger(gw),
    taskList: taskList as never,
    parsedCronItems: gw.parseCronItems(
      opts.schedules.map((s) => ({
        task: s.name,
        match: s.cron,
        identifier: s.name,
        payload: s.payload ?? {},
        options: { backfillPeriod: 0 },
      })),
    ),
  });
  return { stop: () => runner.stop(), promise: runner.promise };
}
