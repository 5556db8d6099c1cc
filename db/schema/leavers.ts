import { sql } from "drizzle-orm";
import {
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { leaverBatchSource, leaverCaseStatus, leaverReason, slaAnchor } from "./enums";
import { identities } from "./org";

/** SLA per leaver reason, set by an admin. */
export const slaPolicies = pgTable("sla_policies", {
  reason: leaverReason().primaryKey(),
  anchor: slaAnchor().notNull(),
  /** Minutes after the anchor (effective time, or the end of the last day). */
  minutes: integer().notNull(),
  updatedById: integer().references(() => identities.id, { onDelete: "set null" }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** One HR import (or a SCIM burst): the unit a mass layoff is watched by. */
export const leaverBatches = pgTable("leaver_batches", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  source: leaverBatchSource().notNull(),
  fileName: text(),
  rowCount: integer().notNull().default(0),
  createdById: integer().references(() => identities.id, { onDelete: "set null" }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const leaverCases = pgTable(
  "leaver_cases",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    identityId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "restrict" }),
    batchId: integer().references(() => leaverBatches.id, { onDelete: "set null" }),
    reason: leaverReason().notNull(),
    status: leaverCaseStatus().notNull().default("open"),
    lastDay: date({ mode: "string" }),
    effectiveAt: timestamp({ withTimezone: true }).notNull(),
    slaDueAt: timestamp({ withTimezone: true }).notNull(),
    assigneeId: integer().references(() => identities.id, { onDelete: "set null" }),
    openedById: integer().references(() => identities.id, { onDelete: "set null" }),
    openedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
    closedById: integer().references(() => identities.id, { onDelete: "set null" }),
    reopenedAt: timestamp({ withTimezone: true }),
    /**
     * Set when the case was called off before its effective time (the person was re-activated): it is closed
     * without a drift watch, its unstarted tasks waived (lib/leavers/commands/cancel.ts).
     */
    cancelledAt: timestamp({ withTimezone: true }),
    /**
     * Counters kept by the database (trigger on remediation_tasks, migration 0014) so the queue reads one row per
     * case and no task writer can forget them.
     */
    tasksTotal: integer().notNull().default(0),
    tasksVerified: integer().notNull().default(0),
    tasksFailed: integer().notNull().default(0),
    tasksWaived: integer().notNull().default(0),
    privilegedOutstanding: integer().notNull().default(0),
    bulkOutstanding: integer().notNull().default(0),
    /** Drift watch: re-verify revocations until this time after closing. */
    driftWatchUntil: timestamp({ withTimezone: true }),
    lastDriftCheckAt: timestamp({ withTimezone: true }),
    /**
     * Queue order, lowest first: a time-invariant urgency key (lib/leavers/rules.ts `queueRank`, the SQL function
     * leaver_queue_rank) set by a row trigger on every write, so the queue is one index range scan whatever the filters.
     */
    queueRank: doublePrecision().notNull().default(0),
  },
  (t) => [
    // One open case per person: duplicates are reported, never created.
    uniqueIndex("leaver_cases_one_open_uq").on(t.identityId).where(sql`${t.status} <> 'closed'`),
    index("leaver_cases_status_sla_idx").on(t.status, t.slaDueAt, t.id),
    index("leaver_cases_batch_idx").on(t.batchId),
    // A person's cases, latest first, closed ones included: reconciliation looks up the case behind each leaver's
    // live account (100k probes at a big system), the person page lists their history.
    index("leaver_cases_identity_idx").on(t.identityId, t.openedAt.desc(), t.id.desc()),
    index("leaver_cases_assignee_idx").on(t.assigneeId).where(sql`${t.status} <> 'closed'`),
    index("leaver_cases_queue_idx").on(t.queueRank, t.id).where(sql`${t.status} <> 'closed'`),
    index("leaver_cases_drift_idx")
      .on(t.driftWatchUntil)
      .where(sql`${t.status} = 'closed' AND ${t.driftWatchUntil} IS NOT NULL`),
    check("leaver_cases_cancelled_is_closed", sql`${t.cancelledAt} IS NULL OR ${t.status} = 'closed'`),
    check(
      "leaver_cases_counters",
      sql`${t.tasksVerified} + ${t.tasksWaived} <= ${t.tasksTotal} AND ${t.tasksVerified} >= 0 AND ${t.tasksWaived} >= 0`,
    ),
  ],
);
