import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import { consumersOf } from "./routes";

export const DISPATCH_JOB = "outbox.dispatch";

export type OutboxEvent = {
  event: string;
  target: { type: string; id: string };
  occurredAt: Date;
  payload: Record<string, unknown>;
};

/**
 * The job that delivers a consumer's pending messages: one waiting run per consumer and purpose (the key dedupes),
 * so a wake-up for new messages is never pushed back by a later wake-up for retries.
 */
export const dispatchJob = (consumer: string, runAt?: Date, purpose: "new" | "retry" = "new") => ({
  name: DISPATCH_JOB,
  payload: { consumer },
  key: `outbox:${consumer}:${purpose}`,
  runAt,
});

/**
 * Writes one outbox row per (event, subscribed consumer) and wakes each consumer's dispatcher, in the caller's
 * transaction — the audit writer calls it, before it takes the audit chain lock. Nothing is written for events no
 * consumer subscribes to.
 */
export async function writeOutbox(db: Db, events: readonly OutboxEvent[]): Promise<number> {
  const rows = events.flatMap((e) =>
    consumersOf(e.event).map((consumer) => ({
      consumer,
      event: e.event,
      target_type: e.target.type,
      target_id: e.target.id,
      payload: e.payload,
      occurred_at: e.occurredAt.toISOString(),
    })),
  );
  if (rows.length === 0) return 0;
  await db.execute(sql`
    INSERT INTO outbox_messages (consumer, event, target_type, target_id, payload, occurred_at, next_attempt_at)
    SELECT x.consumer, x.event, x.target_type, x.target_id, x.payload, x.occurred_at, x.occurred_at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
           AS x(consumer text, event text, target_type text, target_id text, payload jsonb, occurred_at timestamptz)`);
  const consumers = [...new Set(rows.map((r) => r.consumer))];
  await enqueueJobs(
    db,
    consumers.map((c) => dispatchJob(c, events[0].occurredAt)),
  );
  return rows.length;
}
