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
import { consolePasskeys } from "./console-auth";
import { approvalDecision, authenticatorType, breakGlassKind, breakGlassReason, breakGlassStatus } from "./enums";
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
    reasonCode: breakGlassReason().notNull().default("other"),
    /** The incident or ticket this is for (INC-4821, a change number). */
    ticketRef: text(),
    /** A recovery drill: the real approval flow and pass issuance for a test subject, granting nothing. */
    drill: boolean().notNull().default(false),
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
    approvedAt: timestamp({ withTimezone: true }),
    activatedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    endedById: integer().references(() => identities.id, { onDelete: "set null" }),
    endReason: text(),
    disputedAt: timestamp({ withTimezone: true }),
    /** Every use is reviewed after the incident (what was done, linked to its audit events) within days. */
    postReviewDueAt: timestamp({ withTimezone: true }),
    postReviewAt: timestamp({ withTimezone: true }),
    postReviewById: integer().references(() => identities.id, { onDelete: "set null" }),
    postReview: text(),
  },
  (t) => [
    index("break_glass_status_idx").on(t.status, t.createdAt),
    index("break_glass_subject_idx").on(t.subjectId),
    check("break_glass_duration", sql`${t.durationMinutes} BETWEEN 1 AND 1440`),
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
    /** Recovery: how the approver proofed the subject (video call with ID, manager confirmation, in person). */
    checklist: jsonb().$type<{ videoCallWithId?: boolean; managerConfirmed?: boolean; inPerson?: boolean }>(),
    /** An approver may shorten the time asked for, never extend it. */
    durationMinutes: integer(),
    /** The policy group this approval counts for, when the policy asks for approvers from distinct groups. */
    groupLabel: text(),
    decidedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // One decision per approver per request.
  (t) => [uniqueIndex("break_glass_approvals_one_per_approver_uq").on(t.requestId, t.approverId)],
);

/**
 * A one-time enrolment pass issued by an approved recovery (like Entra's Temporary Access Pass): single use,
 * short-lived, and good only for enrolling a factor at least as strong as `minStrength` (never below AAL2). Only a
 * hash of the secret is kept. `issuedAt` says where it works: Lockstep's own enrolment (console users) or the
 * organisation's IdP through the connector's issueEnrolmentPass.
 */
export const enrolmentPasses = pgTable(
  "enrolment_passes",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    requestId: integer()
      .notNull()
      .references(() => breakGlassRequests.id, { onDelete: "cascade" }),
    subjectId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "restrict" }),
    secretHash: text().notNull(),
    minStrength: smallint().notNull(),
    issuedAt: text({ enum: ["lockstep", "idp"] }).notNull(),
    /** At the IdP: its pass id and the fields it returned (simulated connectors say so). */
    external: jsonb().$type<Record<string, unknown>>(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    usedFor: authenticatorType(),
    /** Lockstep passes: the console passkey this pass enrolled (removed if the subject disputes the recovery). */
    passkeyId: integer().references(() => consolePasskeys.id, { onDelete: "set null" }),
    voidedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("enrolment_passes_secret_uq").on(t.secretHash),
    index("enrolment_passes_request_idx").on(t.requestId),
  ],
);

/**
 * In-app notices to a person (NIST 800-63B-4 §4.2: a recovery or an emergency grant notifies the subject at all
 * their addresses). Email and chat deliveries of the same notice come from the outbox.
 */
export const notices = pgTable(
  "notices",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    identityId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    title: text().notNull(),
    body: text().notNull(),
    href: text(),
    /** What the notice is about, e.g. a break-glass request the subject may dispute. */
    targetType: text(),
    targetId: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("notices_identity_idx").on(t.identityId, t.id)],
);
