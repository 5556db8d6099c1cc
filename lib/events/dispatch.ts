import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import type { JobHandler, JobHelpers, Schedule } from "@/lib/jobs/types";
import { DISPATCH_JOB, dispatchJob } from "./outbox";

export type OutboxMessage = {
  id: number;
  event: string;
  targetType: string;
  targetId: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
  attempts: number;
};

/** A consumer's answer per message: delivered, try again later, or give up now (dead-letter). */
export type Delivery = { id: number; ok: true } | { id: number; ok: false; error: string; permanent?: boolean };

/** A consumer of the outbox: Shared Signals and notifications are the first two. */
export type OutboxConsumer = {
  name: string;
  /** Delivers a batch, oldest first; every message of the batch must get a Delivery back. */
  deliver: (messages: OutboxMessage[], h: JobHelpers) => Promise<Delivery[]>;
  /** After this many failed attempts a message is dead-lettered (default 8). */
  maxAttempts?: number;
  batchSize?: number;
};

const LOCK_MS = 2 * 60_000;
/** Backoff between attempts: 10 s × 3^(attempt-1), at most an hour. */
export const outboxBackoffMs = (attempt: number) => Math.min(3_600_000, 10_000 * 3 ** Math.max(0, attempt - 1));

const messageRow = z.object({
  id: col.int,
  event: col.text,
  target_type: col.text,
  target_id: col.text,
  payload: col.json(z.record(z.string(), z.unknown())),
  occurred_at: col.date,
  attempts: col.int,
});

/**
 * Delivers one consumer's due messages in batches until none is due: claim (a lock time, so a crashed dispatcher's
 * messages come back), deliver, then record each message as delivered, retried later with backoff, or dead.
 */
async function dispatch(consumer: OutboxConsumer, h: JobHelpers): Promise<void> {
  const size = consumer.batchSize ?? 100;
  const max = consumer.maxAttempts ?? 8;
  for (;;) {
    const now = h.now();
    const lock = new Date(now.getTime() + LOCK_MS).toISOString();
    const batch = await queryRows(
      h.db,
      sql`
      UPDATE outbox_messages m SET locked_until = ${lock}::timestamptz, attempts = m.attempts + 1
       WHERE m.id IN (SELECT id FROM outbox_messages
                       WHERE consumer = ${consumer.name} AND state = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz
                         AND (locked_until IS NULL OR locked_until < ${now.toISOString()}::timestamptz)
                       ORDER BY id LIMIT ${size} FOR UPDATE SKIP LOCKED)
      RETURNING m.id, m.event, m.target_type, m.target_id, m.payload, m.occurred_at, m.attempts`,
      messageRow,
    );
    if (batch.length === 0) return;
    batch.sort((a, b) => a.id - b.id);
    const messages = batch.map((m) => ({
      id: m.id,
      event: m.event,
      targetType: m.target_type,
      targetId: m.target_id,
      payload: m.payload,
      occurredAt: m.occurred_at,
      attempts: m.attempts,
    }));
    let results: Delivery[];
    try {
      results = await consumer.deliver(messages, h);
    } catch (err) {
      const error = (err as Error)?.message ?? String(err);
      results = messages.map((m) => ({ id: m.id, ok: false, error }));
    }
    await record(h, consumer.name, messages, results, max);
    if (batch.length < size) return;
  }
}

async function record(h: JobHelpers, consumer: string, messages: OutboxMessage[], results: Delivery[], max: number) {
  const now = h.now();
  const byId = new Map(results.map((r) => [r.id, r]));
  const rows = messages.map((m) => {
    const r = byId.get(m.id) ?? { id: m.id, ok: false as const, error: "the consumer gave no answer for this message" };
    if (r.ok) return { id: m.id, state: "delivered", error: null, next: null };
    const dead = r.permanent || m.attempts >= max;
    const next = dead ? null : new Date(now.getTime() + outboxBackoffMs(m.attempts)).toISOString();
    return { id: m.id, state: dead ? "dead" : "pending", error: r.error.slice(0, 1000), next };
  });
  await h.db.execute(sql`
    UPDATE outbox_messages m SET state = x.state::outbox_state, last_error = x.error, locked_until = NULL,
           next_attempt_at = coalesce(x.next, m.next_attempt_at),
           delivered_at = CASE WHEN x.state = 'delivered' THEN ${now.toISOString()}::timestamptz END
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id int8, state text, error text, next timestamptz)
     WHERE m.id = x.id`);
  const retry = rows.filter((r) => r.next).map((r) => new Date(r.next as string).getTime());
  // Wake up again when the earliest retry is due (the minute sweep would too, later).
  if (retry.length) await h.enqueue([dispatchJob(consumer, new Date(Math.min(...retry)), "retry")]);
}

/** The dispatch job, for the consumers this process can deliver for; a sweep every minute catches anything missed. */
export function dispatchHandler(consumers: readonly OutboxConsumer[]): JobHandler {
  const byName = new Map(consumers.map((c) => [c.name, c]));
  return async (payload, h) => {
    const names = payload.consumer ? [String(payload.consumer)] : [...byName.keys()];
    for (const name of names) {
      const consumer = byName.get(name);
      if (!consumer) continue;
      await dispatch(consumer, h);
    }
  };
}

export const DISPATCH_SCHEDULE: Schedule = { name: DISPATCH_JOB, cron: "* * * * *" };
