import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { driftOutcome, remediationAction, remediationMode, remediationOrigin, remediationState } from "./enums";
import { leaverCases } from "./leavers";
import { identities } from "./org";
import { systems } from "./systems";

/** What an action needs beyond its target (lib/remediation/items.ts validates it). */
export type RemediationParams = {
  /** add_grant: the subject's account that receives the entitlement, and when the grant lapses. */
  accountId?: number;
  grantSource?: "request" | "review" | "break_glass";
  expiresAt?: string;
  /** reduce_scopes: the scopes the credential keeps and those dropped at the issuer (fixed when requested). */
  keepScopes?: string[];
  dropScopes?: string[];
};

/**
 * One change at a connected system, executed through its connector (or by hand with evidence) and then verified
 * by re-reading the target — for every origin: a leaver case, a review decision, a break-glass grant, the
 * credential page, a drift finding. The origin owns its tasks; the engine in lib/remediation runs them.
 */
export const remediationTasks = pgTable(
  "remediation_tasks",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    origin: remediationOrigin().notNull(),
    /** The id of the origin's row: leaver case, review item, break-glass request, credential (page), task (drift). */
    originId: bigint({ mode: "number" }).notNull(),
    /** Set for leaver-case tasks (the case's counters and cascade follow it); equal to origin_id then. */
    caseId: integer().references(() => leaverCases.id, { onDelete: "cascade" }),
    /** The person (or non-human identity) whose access this is. */
    subjectId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "restrict" }),
    systemId: integer()
      .notNull()
      .references(() => systems.id, { onDelete: "restrict" }),
    action: remediationAction().notNull(),
    /** The inventory row acted on: 'account' | 'grant' | 'entitlement' | 'sessions' | 'device' | 'credential' | 'authenticator' | 'identity'. */
    targetType: text().notNull(),
    targetId: bigint({ mode: "number" }).notNull(),
    targetLabel: text().notNull(),
    params: jsonb().$type<RemediationParams>(),
    privileged: boolean().notNull().default(false),
    bulkData: boolean().notNull().default(false),
    /** Lower runs first: privileged grants and bulk-reaching credentials lead. */
    priority: smallint().notNull().default(50),
    state: remediationState().notNull().default("pending"),
    mode: remediationMode().notNull().default("connector"),
    attempts: integer().notNull().default(0),
    lastError: text(),
    errorRetryable: boolean(),
    executedAt: timestamp({ withTimezone: true }),
    verifiedAt: timestamp({ withTimezone: true }),
    /** How the change was proven (e.g. 'scim GET active=false', 'introspection active=false', 'manual'). */
    verification: text(),
    evidence: jsonb().$type<Record<string, unknown>>(),
    requestedById: integer().references(() => identities.id, { onDelete: "set null" }),
    confirmedById: integer().references(() => identities.id, { onDelete: "set null" }),
    secondConfirmedById: integer().references(() => identities.id, { onDelete: "set null" }),
    waivedById: integer().references(() => identities.id, { onDelete: "set null" }),
    waivedReason: text(),
    newOwnerId: integer().references(() => identities.id, { onDelete: "set null" }),
    /** Who must act on a manual task (the system owner by default). */
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
    /** The drift watch re-verifies a verified task until this time (set by its origin: a closed case, a review). */
    driftWatchUntil: timestamp({ withTimezone: true }),
    lastDriftCheckAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Idempotent requests: an origin never holds two tasks for the same change.
    uniqueIndex("remediation_tasks_origin_target_uq").on(t.origin, t.originId, t.action, t.targetType, t.targetId),
    index("remediation_tasks_case_idx").on(t.caseId, t.priority),
    index("remediation_tasks_system_state_idx").on(t.systemId, t.state),
    index("remediation_tasks_target_idx").on(t.targetType, t.targetId),
    index("remediation_tasks_assignee_idx").on(t.assigneeId).where(sql`${t.state} NOT IN ('verified', 'waived')`),
    index("remediation_tasks_drift_idx")
      .on(t.driftWatchUntil)
      .where(sql`${t.state} = 'verified' AND ${t.driftWatchUntil} IS NOT NULL`),
    check("remediation_tasks_waiver_has_reason", sql`${t.state} <> 'waived' OR ${t.waivedReason} IS NOT NULL`),
    check(
      "remediation_tasks_case_origin",
      sql`(${t.origin} = 'leaver_case') = (${t.caseId} IS NOT NULL) AND (${t.caseId} IS NULL OR ${t.caseId} = ${t.originId})`,
    ),
  ],
);

/** Each drift-watch re-verification of a verified task: held, drifted (task reopened) or error. */
export const remediationDriftChecks = pgTable(
  "remediation_drift_checks",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    taskId: bigint({ mode: "number" })
      .notNull()
      .references(() => remediationTasks.id, { onDelete: "cascade" }),
    checkedAt: timestamp({ withTimezone: true }).notNull(),
    outcome: driftOutcome().notNull(),
    detail: text(),
  },
  (t) => [index("remediation_drift_checks_task_idx").on(t.taskId, t.checkedAt)],
);
