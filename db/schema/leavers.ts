import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import {
  leaverBatchSource,
  leaverCaseStatus,
  leaverReason,
  revocationTaskKind,
  revocationTaskState,
  slaAnchor,
} from "./enums";
import { identities } from "./org";
import { systems } from "./systems";

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
    /** Counters kept by the task writers so the queue reads one row per case (no per-row task scans). */
    tasksTotal: integer().notNull().default(0),
    tasksVerified: integer().notNull().default(0),
    tasksFailed: integer().notNull().default(0),
    privilegedOutstanding: integer().notNull().default(0),
    bulkOutstanding: integer().notNull().default(0),
    /** Drift watch: re-verify revocations until this time after closing. */
    driftWatchUntil: timestamp({ withTimezone: true }),
    lastDriftCheckAt: timestamp({ withTimezone: true }),
    /**
     * Queue order, lowest first: a time-invariant urgency key (lib/leavers/rules.ts `queueRankSql`) kept current
     * by every writer of the counters, so the queue is one index range scan whatever the filters.
     */
    queueRank: doublePrecision().notNull().default(0),
  },
  (t) => [
    // One open case per person: duplicates are reported, never created.
    uniqueIndex("leaver_cases_one_open_uq").on(t.identityId).where(sql`${t.status} <> 'closed'`),
    index("leaver_cases_status_sla_idx").on(t.status, t.slaDueAt, t.id),
    index("leaver_cases_batch_idx").on(t.batchId),
    index("leaver_cases_assignee_idx").on(t.assigneeId).where(sql`${t.status} <> 'closed'`),
    index("leaver_cases_queue_idx").on(t.queueRank, t.id).where(sql`${t.status} <> 'closed'`),
    index("leaver_cases_drift_idx")
      .on(t.driftWatchUntil)
      .where(sql`${t.status} = 'closed' AND ${t.driftWatchUntil} IS NOT NULL`),
    check("leaver_cases_counters", sql`${t.tasksVerified} <= ${t.tasksTotal} AND ${t.tasksVerified} >= 0`),
  ],
);

/** One revocation per thing the leaver held, executed and verified through its system's connector. */
export const revocationTasks = pgTable(
  "revocation_tasks",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    caseId: integer()
      .notNull()
      .references(() => leaverCases.id, { onDelete: "cascade" }),
    systemId: integer()
      .notNull()
      .references(() => systems.id, { onDelete: "restrict" }),
    kind: revocationTaskKind().notNull(),
    /** The snapshot row this task revokes: 'account' | 'grant' | 'session' | 'device' | 'credential' | 'authenticator' | 'identity'. */
    targetType: text().notNull(),
    targetId: bigint({ mode: "number" }).notNull(),
    targetLabel: text().notNull(),
    privileged: boolean().notNull().default(false),
    bulkData: boolean().notNull().default(false),
    /** Lower runs first: privileged grants and bulk-reaching credentials lead. */
    priority: smallint().notNull().default(50),
    state: revocationTaskState().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    lastError: text(),
    executedAt: timestamp({ withTimezone: true }),
    verifiedAt: timestamp({ withTimezone: true }),
    /** How the revocation was proven (e.g. 'scim GET active=false', 'introspection active=false', 'manual'). */
    verification: text(),
    evidence: jsonb().$type<Record<string, unknown>>(),
    confirmedById: integer().references(() => identities.id, { onDelete: "set null" }),
    secondConfirmedById: integer().references(() => identities.id, { onDelete: "set null" }),
    waivedById: integer().references(() => identities.id, { onDelete: "set null" }),
    waivedReason: text(),
    newOwnerId: integer().references(() => identities.id, { onDelete: "set null" }),
    /**
     * How the task is carried out: through the system's connector, by hand with evidence (no working
     * connector for this kind: assigned to the system owner), or as an ownership handover inside Lockstep.
     */
    mode: text().$type<"connector" | "manual" | "handover">().notNull().default("connector"),
    /** Who must act on a manual task (the system owner by default); never null for manual tasks. */
    assigneeId: integer().references(() => identities.id, { onDelete: "set null" }),
    /** The connector that acted, and whether it was a simulated stand-in (the UI says so). */
    connectorKind: text(),
    simulated: boolean().notNull().default(false),
    /** 'done' or 'already_gone' (the target said the thing no longer existed). */
    outcome: text(),
    /** Next automatic attempt (retry backoff); null when no retry is scheduled. */
    notBefore: timestamp({ withTimezone: true }),
    /** A worker holds the task until this time; an expired lease lets another worker take it over. */
    leaseUntil: timestamp({ withTimezone: true }),
    errorRetryable: boolean(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Idempotent generation: a case never holds two tasks for the same thing.
    uniqueIndex("revocation_tasks_target_uq").on(t.caseId, t.kind, t.targetType, t.targetId),
    index("revocation_tasks_case_idx").on(t.caseId, t.priority),
    index("revocation_tasks_system_state_idx").on(t.systemId, t.state),
    check("revocation_tasks_waiver_has_reason", sql`${t.state} <> 'waived' OR ${t.waivedReason} IS NOT NULL`),
    index("revocation_tasks_assignee_idx").on(t.assigneeId).where(sql`${t.state} NOT IN ('verified', 'waived')`),
  ],
);

/** Each drift-watch re-verification of a closed case's revocation: held, drifted (case reopened) or error. */
export const leaverDriftChecks = pgTable(
  "leaver_drift_checks",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    caseId: integer()
      .notNull()
      .references(() => leaverCases.id, { onDelete: "cascade" }),
    taskId: bigint({ mode: "number" })
      .notNull()
      .references(() => revocationTasks.id, { onDelete: "cascade" }),
    checkedAt: timestamp({ withTimezone: true }).notNull(),
    outcome: text().$type<"held" | "drifted" | "error">().notNull(),
    detail: text(),
  },
  (t) => [index("leaver_drift_checks_case_idx").on(t.caseId, t.checkedAt)],
);
