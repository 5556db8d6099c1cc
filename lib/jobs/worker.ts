import "server-only";
import { getDatabase } from "@/db/client";
import { type GraphileRunner, migrateGraphile, startGraphileWorker } from "./graphile";
import { JOB_HANDLERS, JOB_SCHEDULES } from "./handlers";
import { LocalRunner } from "./local-runner";
import { jobBackend } from "./types";

type Running = { backend: "graphile" | "local"; stop: () => Promise<void> };
const g = globalThis as unknown as { __lockstepWorker?: Promise<Running> };

/** Installs graphile-worker's schema when jobs run on it (app start, before anything enqueues). */
export async function prepareJobs(): Promise<void> {
  const url = process.env.DATABASE_URL?.trim();
  if (jobBackend() === "graphile" && url) await migrateGraphile(url);
}

/**
 * Starts this process's job worker once (graphile-worker on PostgreSQL, the local runner on PGlite) with
 * every registered handler. `LOCKSTEP_WORKER_CONCURRENCY` sets how many jobs run at once (default 4).
 */
export function startWorker(opts: { concurrency?: number; pollMs?: number } = {}): Promise<Running> {
  if (!g.__lockstepWorker) {
    g.__lockstepWorker = (async (): Promise<Running> => {
      const handle = await getDatabase();
      const concurrency = opts.concurrency ?? Number(process.env.LOCKSTEP_WORKER_CONCURRENCY ?? 4);
      const backend = jobBackend();
      if (backend === "graphile") {
        const url = process.env.DATABASE_URL?.trim();
        if (!url) throw new Error("graphile-worker needs DATABASE_URL");
        await migrateGraphile(url);
        const runner: GraphileRunner = await startGraphileWorker({
          connectionString: url,
          db: handle.db,
          handlers: JOB_HANDLERS,
          concurrency,
          schedules: JOB_SCHEDULES,
          pollInterval: opts.pollMs,
        });
        return { backend, stop: runner.stop };
      }
      const runner = new LocalRunner(handle.db, JOB_HANDLERS, {
        concurrency,
        pollMs: opts.pollMs ?? 500,
        schedules: JOB_SCHEDULES,
        log: (l) => console.log(`[jobs] ${l}`),
      });
      runner.start();
      return { backend, stop: () => runner.stop() };
    })().catch((err) => {
      g.__lockstepWorker = undefined;
      throw err;
    });
  }
  return g.__lockstepWorker;
}

export async function stopWorker(): Promise<void> {
  const running = await g.__lockstepWorker?.catch(() => undefined);
  g.__lockstepWorker = undefined;
  await running?.stop();
}
