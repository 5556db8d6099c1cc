import { bigint, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { identities } from "./org";

/**
 * Append-only, hash-chained. A trigger (migration 0002) rejects UPDATE, DELETE and TRUNCATE.
 * hash = sha256(canonical(event) + prev_hash); appends are serialized by an advisory lock.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    actorId: integer().references(() => identities.id, { onDelete: "restrict" }),
    /** Name of the actor at the time ("system" for jobs), so the log reads without joins. */
    actorLabel: text().notNull(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text().notNull(),
    targetLabel: text(),
    before: jsonb(),
    after: jsonb(),
    metadata: jsonb(),
    prevHash: text().notNull(),
    hash: text().notNull().unique(),
  },
  (t) => [
    index("audit_events_occurred_idx").on(t.occurredAt, t.id),
    index("audit_events_actor_idx").on(t.actorId, t.id),
    index("audit_events_action_idx").on(t.action, t.id),
    index("audit_events_target_idx").on(t.targetType, t.targetId, t.id),
  ],
);
