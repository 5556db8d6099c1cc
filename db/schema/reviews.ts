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
import {
  campaignKind,
  campaignStatus,
  decisionSource,
  noResponsePolicy,
  reviewCadence,
  reviewDecision,
  reviewerRelation,
  reviewRecommendation,
} from "./enums";
import { identities } from "./org";

/**
 * What a campaign covers. Access campaigns select live grants of active people; API-scope campaigns select live
 * credentials. Every field narrows the selection; none given means everything of the campaign's kind.
 */
export type CampaignScope = {
  departmentIds?: number[];
  systemIds?: number[];
  entitlementIds?: number[];
  privilegedOnly?: boolean;
  /** API scope: only credentials held by non-human identities (service accounts, API clients, agents). */
  nonHumanOnly?: boolean;
  /** API scope: only credentials with at least one open finding. */
  withFindings?: boolean;
  /** Older campaigns recorded a single department or system. */
  departmentId?: number;
  systemId?: number;
};

/** How a campaign's items were chosen, kept so the evidence report can prove completeness. */
export type CampaignPopulation = {
  /** Grants or credentials that matched the scope at launch. */
  matched: number;
  /** Items created (matched minus those skipped). */
  items: number;
  /** Matched, but already inside an open leaver case (that case revokes them). */
  skippedOpenCase: number;
  reviewers: number;
  /** The selection in words (departments, systems, filters) and the time it ran. */
  definition: string;
  selectedAt: string;
};

/** The audit chain's head when the campaign closed: the report is stamped with it so it can be checked against the log. */
export type CampaignEvidence = { headId: number; headHash: string; closedAt: string };

/** A recurring campaign: each run creates a campaign by itself (NIST 800-53 AC-2(j): privileged quarterly, others yearly). */
export const reviewSchedules = pgTable("review_schedules", {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  kind: campaignKind().notNull(),
  scope: jsonb().$type<CampaignScope>().notNull().default({}),
  cadence: reviewCadence().notNull(),
  /** Days from launch to the due date. */
  durationDays: integer().notNull().default(14),
  noResponsePolicy: noResponsePolicy().notNull().default("escalate"),
  stages: smallint().notNull().default(1),
  fallbackReviewerId: integer().references(() => identities.id, { onDelete: "set null" }),
  reminderEveryDays: integer().notNull().default(3),
  rollbackDays: integer().notNull().default(7),
  nextRunAt: timestamp({ withTimezone: true }).notNull(),
  lastRunAt: timestamp({ withTimezone: true }),
  enabled: boolean().notNull().default(true),
  createdById: integer().references(() => identities.id, { onDelete: "set null" }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** A certification campaign: access (grants → managers) or API scope (credentials → owners). */
export const reviewCampaigns = pgTable(
  "review_campaigns",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    kind: campaignKind().notNull(),
    scope: jsonb().$type<CampaignScope>().notNull().default({}),
    status: campaignStatus().notNull().default("draft"),
    noResponsePolicy: noResponsePolicy().notNull().default("escalate"),
    /** 1, or 2: "don't know" items of the first stage go to the system's owner. */
    stages: smallint().notNull().default(1),
    /** Reviews an item whose natural reviewer is missing, a leaver, or the subject. */
    fallbackReviewerId: integer().references(() => identities.id, { onDelete: "set null" }),
    reminderEveryDays: integer().notNull().default(3),
    /** Privileged access revoked for no response can be restored by its reviewer for this many days. */
    rollbackDays: integer().notNull().default(7),
    population: jsonb().$type<CampaignPopulation>(),
    evidence: jsonb().$type<CampaignEvidence>(),
    scheduleId: integer().references(() => reviewSchedules.id, { onDelete: "set null" }),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    createdById: integer().references(() => identities.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
    closedById: integer().references(() => identities.id, { onDelete: "set null" }),
  },
  (t) => [
    check("review_campaigns_due_after_start", sql`${t.dueAt} > ${t.startsAt}`),
    check("review_campaigns_stages", sql`${t.stages} IN (1, 2)`),
    index("review_campaigns_status_idx").on(t.status, t.dueAt),
  ],
);

export const reviewItems = pgTable(
  "review_items",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    // No foreign key to the campaign either: items are written only by generation, in the transaction that inserts
    // their campaign (which is never deleted: a campaign is the record of a review), and a key check per item was
    // the largest single cost of a 100k-item launch after the insert itself.
    campaignId: integer().notNull(),
    // Reviewer and subject carry no foreign key, for the reasons below: people are never deleted (a leaver is a
    // status), every writer reads them from identities in its own transaction (generation, delegation, escalation),
    // and a launch would otherwise pay two key checks and row locks per item (seconds at 100k items).
    reviewerId: integer().notNull(),
    reviewerRelation: reviewerRelation().notNull().default("manager"),
    stage: smallint().notNull().default(1),
    subjectId: integer().notNull(),
    // No foreign keys to what was reviewed: an item is evidence and outlives the grant or credential it was about
    // (a cascade would delete the proof with the access), and a 100k-item launch would pay a key check and a row
    // lock on the grant or credential for every item. The snapshot holds what was reviewed.
    grantId: bigint({ mode: "number" }),
    credentialId: integer(),
    privileged: boolean().notNull().default(false),
    /** What the reviewer needs, as it was at launch (grant or scopes, why and when granted, use, peers, findings). */
    snapshot: jsonb().$type<Record<string, unknown>>(),
    recommendation: reviewRecommendation().notNull().default("keep"),
    recommendationReason: text(),
    decision: reviewDecision(),
    decisionSource: decisionSource(),
    /** For reduce: the scopes kept. */
    keptScopes: text().array(),
    justification: text(),
    // Who decided and who restored: people are never deleted, and a key check queued per inserted item (null or not)
    // is paid by every launch.
    decidedById: integer(),
    decidedAt: timestamp({ withTimezone: true }),
    /** When the current reviewer got it (launch, escalation, delegation, next stage): time taken counts from here. */
    assignedAt: timestamp({ withTimezone: true }),
    remindedAt: timestamp({ withTimezone: true }),
    reminders: smallint().notNull().default(0),
    escalatedAt: timestamp({ withTimezone: true }),
    /** Revoked for no response: the reviewer may restore it, with a justification, until then. */
    rollbackUntil: timestamp({ withTimezone: true }),
    restoredAt: timestamp({ withTimezone: true }),
    restoredById: integer(),
  },
  (t) => [
    check("review_items_one_subject", sql`(${t.grantId} IS NULL) <> (${t.credentialId} IS NULL)`),
    check(
      "review_items_decision_complete",
      sql`${t.decision} IS NULL OR (${t.decidedAt} IS NOT NULL AND (${t.decidedById} IS NOT NULL OR ${t.decisionSource} = 'policy'))`,
    ),
    // Partial: an access item has no credential and the other way round, so neither index holds the other's rows.
    uniqueIndex("review_items_grant_uq").on(t.campaignId, t.grantId).where(sql`${t.grantId} IS NOT NULL`),
    uniqueIndex("review_items_credential_uq")
      .on(t.campaignId, t.credentialId)
      .where(sql`${t.credentialId} IS NOT NULL`),
    // The inbox: a reviewer's items of a campaign, grouped by person, in keyset order.
    index("review_items_inbox_idx").on(t.reviewerId, t.campaignId, t.subjectId, t.id),
    index("review_items_campaign_idx").on(t.campaignId, t.decision),
    index("review_items_subject_idx").on(t.subjectId),
    // A grant's earlier decisions, for the next campaign's snapshot; undecided items (all of a fresh launch) stay out.
    index("review_items_grant_decided_idx")
      .on(t.grantId, t.decidedAt)
      .where(sql`${t.grantId} IS NOT NULL AND ${t.decision} IS NOT NULL`),
  ],
);
