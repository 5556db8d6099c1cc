import type { Db } from "@/db/client";

/**
 * The background-job port. Handlers know nothing about who runs them: graphile-worker on PostgreSQL (several
 * app/worker processes share the load) or the in-process runner on embedded PGlite. Both honour the same
 * spec: delayed runs, dedup keys, and a concurrency group with a limit (e.g. one system's max_concurrency).
 */
export type JobSpec = {
  name: string;
  payload: Record<string, unknown>;
  runAt?: Date;
  /** A waiting job with the same key is replaced (at most one pending run per task). */
  key?: string;
  /** At most `limit` jobs of one group run at once, across processes. `slot` spreads jobs over the limit. */
  concurrency?: { group: string; limit: number; slot: number };
  /** Crash-safety retries by the runner; domain retries (connector failures) are scheduled by the handler. */
  maxAttempts?: number;
  priority?: number;
};

export type JobHelpers = {
  db: Db;
  now: () => Date;
  /** Enqueue follow-up jobs (a retry, a verification) outside any transaction. */
  enqueue: (jobs: JobSpec[]) => Promise<void>;
  log: (line: string) => void;
};

export type JobHandler = (payload: Record<string, unknown>, helpers: JobHelpers) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

/** A recurring job (drift watch): a cron pattern in UTC. */
export type Schedule = { name: string; cron: string; payload?: Record<string, unknown> };

export type JobBackend = "graphile" | "local";

/** graphile-worker on PostgreSQL unless told otherwise; the local runner on PGlite (one process, one connection). */
export function jobBackend(env: NodeJS.ProcessEnv = process.env): JobBackend {
  if (env.LOCKSTEP_JOBS === "local" || env.LOCKSTEP_JOBS === "graphile") return env.LOCKSTEP_JOBS;
  return env.DATABASE_URL?.trim() ? "graphile" : "local";
}
