import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { credentials } from "./credentials";
import { campaignKind, campaignStatus, noResponsePolicy, reviewDecision } from "./enums";
import { identities } from "./org";
import { grants } from "./systems";

export type CampaignScope = { departmentId?: number; systemId?: number; privilegedOnly?: boolean };

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
    startsAt: timestamp({ withTimezone: true }).notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    createdById: integer().references(() => identities.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [check("review_campaigns_due_after_start", sql`${t.dueAt} > ${t.startsAt}`)],
);

export const reviewItems = pgTable(
  "review_items",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    campaignId: integer()
      .notNull()
      .references(() => reviewCampaigns.id, { onDelete: "cascade" }),
    reviewerId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "restrict" }),
    subjectId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    grantId: bigint({ mode: "number" }).references(() => grants.id, { onDelete: "cascade" }),
    credentialId: integer().references(() => credentials.id, { onDelete: "cascade" }),
    recommendation: reviewDecision().notNull().default("keep"),
    recommendationReason: text(),
    decision: reviewDecision(),
    /** For reduce: the scopes kept. */
    keptScopes: text().array(),
    justification: text(),
    decidedById: integer().references(() => identities.id, { onDelete: "set null" }),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check("review_items_one_subject", sql`(${t.grantId} IS NULL) <> (${t.credentialId} IS NULL)`),
    check(
      "review_items_decision_complete",
      sql`${t.decision} IS NULL OR (${t.decidedAt} IS NOT NULL AND ${t.decidedById} IS NOT NULL)`,
    ),
    uniqueIndex("review_items_grant_uq").on(t.campaignId, t.grantId),
    uniqueIndex("review_items_credential_uq").on(t.campaignId, t.credentialId),
    index("review_items_reviewer_idx").on(t.reviewerId, t.campaignId).where(sql`${t.decision} IS NULL`),
    index("review_items_campaign_idx").on(t.campaignId, t.decision),
  ],
);
