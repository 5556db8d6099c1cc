import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { authenticatorStatus, authenticatorType, authenticatorUsage } from "./enums";
import { departments, identities } from "./org";

/** Each enrolled factor of a person, used to sign in (primary) or to get back in (recovery). */
export const authenticators = pgTable(
  "authenticators",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    identityId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    type: authenticatorType().notNull(),
    usage: authenticatorUsage().notNull(),
    status: authenticatorStatus().notNull().default("active"),
    /** Delivery channel for out-of-band factors: 'sms', 'voice', 'email', 'push:<provider>'. */
    channel: text(),
    /** Passkeys without user verification count one level lower (docs/STANDARDS.md). */
    userVerification: boolean().notNull().default(true),
    label: text(),
    enrolledAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    /**
     * The factor export that owns this row ('entra', 'okta'; lib/factors/import): a later export of the same
     * source updates or revokes it. Null for factors recorded in Lockstep itself, which no import touches.
     */
    source: text(),
    /** The vendor's key of the method within the person (Okta factor id, Entra method name). */
    sourceKey: text(),
    /** The vendor's method name (Okta factorType, Entra methodsRegistered value): re-mapped when a setting changes. */
    sourceMethod: text(),
  },
  (t) => [
    index("authenticators_identity_idx").on(t.identityId),
    index("authenticators_channel_active_idx").on(t.channel).where(sql`${t.status} = 'active'`),
    // One active row per imported method and use: re-importing the same export finds and keeps it.
    uniqueIndex("authenticators_source_key_uq")
      .on(t.identityId, t.source, t.sourceKey, t.usage)
      .where(sql`${t.source} IS NOT NULL AND ${t.status} = 'active'`),
    check("authenticators_source_has_key", sql`${t.source} IS NULL OR ${t.sourceKey} IS NOT NULL`),
  ],
);

/**
 * Per-person posture rollup, kept current in the same transaction as every factor, grant or status change,
 * so heatmaps and KPIs read 100k rows of small ints instead of recomputing strength over every factor.
 */
export const identityPosture = pgTable(
  "identity_posture",
  {
    identityId: integer()
      .primaryKey()
      .references(() => identities.id, { onDelete: "cascade" }),
    departmentId: integer().references(() => departments.id, { onDelete: "set null" }),
    active: boolean().notNull(),
    primaryStrength: smallint().notNull(),
    /** Null when the person has no active recovery path. */
    recoveryStrength: smallint(),
    effectiveStrength: smallint().notNull(),
    phishingResistant: boolean().notNull(),
    hasPrivileged: boolean().notNull(),
    /** The system of each active account holding a live privileged grant (one entry per account): the by-system heatmap. */
    privilegedSystemIds: integer().array().notNull().default(sql`'{}'::integer[]`),
    /** When the row goes stale without any write (a factor or privileged grant expiring); the posture.expire job refreshes it. */
    nextChangeAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("identity_posture_dept_idx").on(t.departmentId, t.effectiveStrength),
    index("identity_posture_next_change_idx").on(t.nextChangeAt).where(sql`${t.nextChangeAt} IS NOT NULL`),
    check(
      "identity_posture_strength_range",
      sql`${t.primaryStrength} BETWEEN 0 AND 5 AND ${t.effectiveStrength} BETWEEN 0 AND 5`,
    ),
  ],
);

/**
 * Active people per department × primary and effective strength × privileged × phishing-resistant: the
 * identity_posture rollup summed, kept by a trigger on identity_posture in the same statement as every change
 * (migration 0011), so the organisation-wide heatmap and KPIs read a few thousand rows instead of 100k.
 * department_id 0 stands for "no department" (a key column cannot be null).
 */
export const identityPostureCounts = pgTable(
  "identity_posture_counts",
  {
    departmentId: integer().notNull(),
    primaryStrength: smallint().notNull(),
    effectiveStrength: smallint().notNull(),
    privileged: boolean().notNull(),
    phishingResistant: boolean().notNull(),
    people: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({
      columns: [t.departmentId, t.primaryStrength, t.effectiveStrength, t.privileged, t.phishingResistant],
    }),
  ],
);

/** Privileged accounts per system × the holder's primary and effective strength (active people), kept like the above. */
export const identityPostureSystemCounts = pgTable(
  "identity_posture_system_counts",
  {
    systemId: integer().notNull(),
    primaryStrength: smallint().notNull(),
    effectiveStrength: smallint().notNull(),
    accounts: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.systemId, t.primaryStrength, t.effectiveStrength] })],
);

/**
 * Daily distribution snapshot that drives the trend charts: one row per department × primary and effective
 * strength × privileged × phishing-resistant, as at the end of the day (UTC).
 */
export const postureSnapshots = pgTable(
  "posture_snapshots",
  {
    day: date({ mode: "string" }).notNull(),
    departmentId: integer()
      .notNull()
      .references(() => departments.id, { onDelete: "cascade" }),
    primaryStrength: smallint().notNull(),
    effectiveStrength: smallint().notNull(),
    privileged: boolean().notNull(),
    phishingResistant: boolean().notNull().default(false),
    people: integer().notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.day, t.departmentId, t.primaryStrength, t.effectiveStrength, t.privileged, t.phishingResistant],
    }),
  ],
);

export type AuthenticatorRow = typeof authenticators.$inferSelect;
