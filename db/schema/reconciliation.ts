import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { reconciliationFindingKind, reconciliationStatus, reconciliationTrigger } from "./enums";
import { leaverCases } from "./leavers";
import { identities } from "./org";
import { accounts, systems } from "./systems";

/** Counts of one reconciliation run (lib/reconciliation/README.md says what each means). */
export type ReconciliationCounts = {
  users: number;
  groups: number;
  memberships: number;
  matched: number;
  created: number;
  uncorrelated: number;
  leaverLive: number;
  accountsEnded: number;
  grantsAdded: number;
  grantsEnded: number;
  entitlementsAdded: number;
  /** Leavers' live accounts their case had no task for: tasks added (runs before this field existed lack it). */
  leaverTasksAdded?: number;
  /** Closed cases those accounts contradict, reopened. */
  casesReopened?: number;
};

/**
 * One reading of a SCIM-connected system's Users and Groups, applied to the inventory in one transaction. The run
 * row is written while it reads (progress: users and groups read of the totals the system announced), so the page
 * can show it; a failed run wrote nothing but this row.
 */
export const reconciliationRuns = pgTable(
  "reconciliation_runs",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    systemId: integer()
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
    status: reconciliationStatus().notNull().default("queued"),
    trigger: reconciliationTrigger().notNull(),
    requestedById: integer().references(() => identities.id, { onDelete: "set null" }),
    requestedByLabel: text().notNull(),
    usersRead: integer().notNull().default(0),
    usersTotal: integer(),
    groupsRead: integer().notNull().default(0),
    groupsTotal: integer(),
    counts: jsonb().$type<ReconciliationCounts>(),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("reconciliation_runs_system_idx").on(t.systemId, t.id.desc()),
    // One run at a time per system: a second request while one waits or runs gets that one.
    uniqueIndex("reconciliation_runs_active_uq").on(t.systemId).where(sql`${t.status} IN ('queued', 'running')`),
  ],
);

/** What a run found for people to act on: uncorrelated accounts, and active accounts of leavers. */
export const reconciliationFindings = pgTable(
  "reconciliation_findings",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    runId: integer()
      .notNull()
      .references(() => reconciliationRuns.id, { onDelete: "cascade" }),
    kind: reconciliationFindingKind().notNull(),
    remoteId: text().notNull(),
    userName: text().notNull(),
    email: text(),
    externalId: text(),
    displayName: text(),
    accountId: integer().references(() => accounts.id, { onDelete: "set null" }),
    identityId: integer().references(() => identities.id, { onDelete: "set null" }),
    caseId: integer().references(() => leaverCases.id, { onDelete: "set null" }),
  },
  (t) => [index("reconciliation_findings_run_idx").on(t.runId, t.kind, t.userName, t.id)],
);

/**
 * Staging of one run: what the system answered, page by page, before the apply reads it set-based. Rows live
 * only while their run reads and applies (deleted by the apply, or when the run fails).
 */
export const reconciliationStagedUsers = pgTable(
  "reconciliation_staged_users",
  {
    runId: integer().notNull(),
    remoteId: text().notNull(),
    userName: text().notNull(),
    externalId: text(),
    email: text(),
    displayName: text(),
    active: boolean().notNull(),
    /** Resolved by the apply: the account it is (or became), the identity it belongs to. */
    accountId: integer(),
    identityId: integer(),
    created: boolean().notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.runId, t.remoteId] })],
);

export const reconciliationStagedGroups = pgTable(
  "reconciliation_staged_groups",
  {
    runId: integer().notNull(),
    remoteId: text().notNull(),
    displayName: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.remoteId] })],
);

export const reconciliationStagedMembers = pgTable(
  "reconciliation_staged_members",
  {
    runId: integer().notNull(),
    groupRemoteId: text().notNull(),
    userRemoteId: text().notNull(),
    /** Resolved by the apply: the grant this membership is. */
    accountId: integer(),
    entitlementId: integer(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.groupRemoteId, t.userRemoteId] })],
);
