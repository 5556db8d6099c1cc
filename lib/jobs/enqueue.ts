import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type JobBackend, type JobSpec, jobBackend } from "./types";

/** The queue a graphile job runs in: one of `limit` serial queues per group, so at most `limit` run at once. */
function graphileQueueName(spec: JobSpec): string | null {
  if (!spec.concurrency) return null;
  const { group, limit, slot } = spec.concurrency;
  return `${group}#${Math.abs(Math.trunc(slot)) % Math.max(1, limit)}`;
}

/**
 * Adds jobs inside the caller's transaction, so a job exists exactly when the change that asked for it
 * commits. On PostgreSQL: graphile_worker.add_jobs (one statement for any number); on PGlite: local_jobs.
 */
export async function enqueueJobs(db: Db, jobs: readonly JobSpec[], backend: JobBackend = jobBackend()): Promise<void> {
  if (jobs.length === 0) return;
  for (let i = 0; i < jobs.length; i += 5000) {
    const chunk = jobs.slice(i, i + 5000);
    if (backend === "graphile") {
      const specs = JSON.stringify(
        chunk.map((j) => ({
          identifier: j.name,
          payload: j.payload,
          queue_name: graphileQueueName(j),
          run_at: (j.runAt ?? new Date()).toISOString(),
          max_attempts: j.maxAttempts ?? 3,
          job_key: j.key ?? null,
          priority: j.priority ?? 0,
          flags: null,
        })),
      );
      await db.execute(sql`SELECT count(*) FROM graphile_worker.add_jobs(
        ARRAY(SELECT json_populate_recordset(NULL::graphile_worker.job_spec, ${specs}::json)))`);
    } else {
      const rows = JSON.stringify(
        chunk.map((j) => ({
          name: j.name,
          payload: JSON.stringify(j.payload),
          key: j.key ?? null,
          run_at: (j.runAt ?? new Date()).toISOString(),
          max_attempts: j.maxAttempts ?? 3,
          concurrency_group: j.concurrency?.group ?? null,
          concurrency_limit: j.concurrency?.limit ?? null,
        })),
      );
      // A waiting job with the same key is replaced; a running one keeps running and the new one waits.
      await db.execute(sql`
        INSERT INTO local_jobs (name, payload, key, run_at, max_attempts, concurrency_group, concurrency_limit)
        SELECT x.name, x.payload, x.key, x.run_at, x.max_attempts, x.concurrency_group, x.concurrency_limit
          FROM jsonb_to_recordset(${rows}::jsonb) AS x(name text, payload text, key text, run_at timestamptz, max_attempts int,
                                                      concurrency_group text, concurrency_limit int)
        ON CONFLICT (key) DO UPDATE SET name = excluded.name, payload = excluded.payload, run_at = excluded.run_at,
          attempts = 0, max_attempts = excluded.max_attempts, locked_until = NULL, last_error = NULL,
          concurrency_group = excluded.concurrency_group, concurrency_limit = excluded.concurrency_limit`);
    }
  }
}
