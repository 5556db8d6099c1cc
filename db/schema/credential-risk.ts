import { sql } from "drizzle-orm";
import { boolean, date, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { credentials } from "./credentials";
import { credentialKind, dataClass } from "./enums";

/**
 * One row per credential: its blast radius and the facts its findings are read from, so the inventory
 * sorts and counts at 200k credentials from one narrow table. Kept current by database triggers in the
 * same transaction as every change to credentials, endpoints, scope usage, identities or leaver cases
 * (migration 0005, `refresh_credential_risk`), whoever makes the change. The weights are those of
 * lib/api-scopes/rules.ts; tests hold the two to the same answer on every seeded credential.
 *
 * Time-dependent findings store the instant they are measured from (never a yes/no that would go stale
 * as days pass): "stale" is `last_activity_at < now - stale_after_days`, read at query time.
 */
export const credentialRisk = pgTable(
  "credential_risk",
  {
    credentialId: integer()
      .primaryKey()
      .references(() => credentials.id, { onDelete: "cascade" }),
    /** status = 'active': findings and the inventory's default view cover live credentials only. */
    live: boolean().notNull(),
    kind: credentialKind().notNull(),
    issuerSystemId: integer().notNull(),
    holderId: integer().notNull(),
    ownerId: integer(),
    /** The owner's department (the holder's when nobody owns it): the inventory's department filter. */
    departmentId: integer(),
    blastRadius: integer().notNull().default(0),
    reachEndpoints: integer().notNull().default(0),
    reachBulk: integer().notNull().default(0),
    /** Largest records-per-call among the bulk endpoints it reaches (null: none, or none states a maximum). */
    maxRecordsPerCall: integer(),
    dataClasses: dataClass().array().notNull().default(sql`'{}'::data_class[]`),
    bulkPii: boolean().notNull().default(false),
    /** Owner missing, or no longer active. */
    orphaned: boolean().notNull().default(false),
    /** The holder has an open (not closed) leaver case. */
    leaverHolder: boolean().notNull().default(false),
    noExpiry: boolean().notNull().default(false),
    /** Last use, or creation when never used: "stale" is measured from here. */
    lastActivityAt: timestamp({ withTimezone: true }).notNull(),
    /** Last rotation, or creation when never rotated; null for kinds the rotation policy does not cover. */
    rotationAnchorAt: timestamp({ withTimezone: true }),
    /** Oldest last use among the scopes it holds (creation for a scope never used); null without usage data. */
    idleScopeSince: timestamp({ withTimezone: true }),
  },
  (t) => [
    // The inventory's order (blast radius, then newest id), whole estate and per issuer.
    index("credential_risk_blast_idx")
      .on(t.blastRadius.desc().nullsFirst(), t.credentialId.desc().nullsFirst())
      .where(sql`${t.live}`),
    index("credential_risk_system_blast_idx")
      .on(t.issuerSystemId, t.blastRadius.desc().nullsFirst(), t.credentialId.desc().nullsFirst())
      .where(sql`${t.live}`),
    index("credential_risk_owner_idx").on(t.ownerId),
    index("credential_risk_holder_idx").on(t.holderId),
    // The boundary day of a time-dependent finding count (see credentialRiskCounts).
    index("credential_risk_activity_idx").on(t.lastActivityAt).where(sql`${t.live}`),
    index("credential_risk_idle_scope_idx").on(t.idleScopeSince).where(sql`${t.live}`),
    index("credential_risk_rotation_idx").on(t.rotationAnchorAt).where(sql`${t.live}`),
  ],
);

/**
 * How many live credentials have each finding, kept by the same refresh as credential_risk (migration 0009),
 * so the estate-wide counts read a few hundred rows instead of scanning 200k. Static findings (orphaned,
 * leaver_holder, bulk_pii, no_expiry, and `live` itself) have one row on day -infinity; time-dependent ones
 * (stale, stale_bulk, over_scoped, rotation_overdue) one row per UTC day of the instant they are measured
 * from: "stale now" = the days before the threshold's day + that day's rows before the threshold itself.
 */
export const credentialRiskCounts = pgTable(
  "credential_risk_counts",
  {
    metric: text().notNull(),
    day: date({ mode: "string" }).notNull(),
    n: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.metric, t.day] })],
);
