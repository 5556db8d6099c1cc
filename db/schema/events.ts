import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { outboxState } from "./enums";

/**
 * The outbox: one row per (event, consumer), written by the audit writer in the same transaction as the change
 * (lib/events), so a rolled-back change sends nothing and a crash loses nothing. Consumers (Shared Signals,
 * notifications) claim their pending rows on the job runner, deliver, and retry with backoff; after the
 * consumer's last attempt a row is dead-lettered and stays visible.
 */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    consumer: text().notNull(),
    /** A name from the event catalogue (lib/events/catalog.ts). */
    event: text().notNull(),
    targetType: text().notNull(),
    targetId: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    state: outboxState().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull(),
    /** A dispatcher holds the row until this time; an expired lock lets another take it over. */
    lockedUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    deliveredAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("outbox_messages_due_idx").on(t.consumer, t.nextAttemptAt, t.id).where(sql`${t.state} = 'pending'`),
    index("outbox_messages_consumer_idx").on(t.consumer, t.id),
  ],
);
