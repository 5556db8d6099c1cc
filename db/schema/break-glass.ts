import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { approvalDecision, authenticatorType, breakGlassKind, breakGlassStatus } from "./enums";
import { identities } from "./org";
import { entitlements } from "./systems";

/** Account recovery or emergency access: two distinct approvers, time-boxed, never a weaker factor. */
export const breakGlassRequests = pgTable(
  "break_glass_requests",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    kind: breakGlassKind().notNull(),
    requesterId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "restrict" }),
    subjectId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "restrict" }),
    reason: text().notNull(),
    /** Emergency access: the privileged entitlement wanted. */
    entitlementId: integer().references(() => entitlements.id, { onDelete: "restrict" }),
    /** Account recovery: the factor to be issued (must be at least the subject's effective strength). */
    recoveryFactor: authenticatorType(),
    subjectStrengthAtRequest: smallint(),
    durationMinutes: integer().notNull(),
    requiredApprovals: smallint().notNull().default(2),
    status: breakGlassStatus().notNull().default("pending"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** A pending request that nobody approves lapses at this time. */
    requestExpiresAt: timestamp({ withTimezone: true }).notNull(),
    activatedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("break_glass_status_idx").on(t.status, t.createdAt),
    index("break_glass_subject_idx").on(t.subjectId),
    check("break_glass_duration", sql`${t.durationMinutes} BETWEEN 5 AND 1440`),
    check("break_glass_two_person", sql`${t.requiredApprovals} >= 2`),
    check(
      "break_glass_kind_target",
      sql`(${t.kind} = 'emergency_access' AND ${t.entitlementId} IS NOT NULL) OR (${t.kind} = 'account_recovery' AND ${t.recoveryFactor} IS NOT NULL)`,
    ),
  ],
);

export const breakGlassApprovals = pgTable(
  "break_glass_approvals",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    requestId: integer()
      .notNull()
      .references(() => breakGlassRequests.id, { onDelete: "cascade" }),
    approverId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "restrict" }),
    decision: approvalDecision().notNull(),
    comment: text(),
    decidedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // One decision per approver per request.
  (t) => [uniqueIndex("break_glass_approvals_one_per_approver_uq").on(t.requestId, t.approverId)],
);
