import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { accountStatus, connectorKind, criticality, deprovisionMode, grantSource, systemCategory } from "./enums";
import { identities } from "./org";

/** Settings a connector needs. Secrets are never stored here, only the name of the env var that holds them. */
export type ConnectorConfig = {
  baseUrl?: string;
  /** OAuth: Lockstep's own client at the authorization server (its secret comes from `secretEnv`). */
  clientId?: string;
  clientAuth?: "client_secret_basic" | "client_secret_post";
  tokenEndpoint?: string;
  revocationEndpoint?: string;
  introspectionEndpoint?: string;
  webhookUrl?: string;
  secretEnv?: string;
  timeoutMs?: number;
};

export const systems = pgTable(
  "systems",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    slug: text().notNull().unique(),
    name: text().notNull(),
    category: systemCategory().notNull(),
    criticality: criticality().notNull().default("medium"),
    connectorKind: connectorKind().notNull().default("manual"),
    connectorConfig: jsonb().$type<ConnectorConfig>().notNull().default({}),
    /** A simulated connector acts on an in-process stand-in, never on a real system; the UI says so. */
    connectorSimulated: boolean().notNull().default(false),
    deprovisionMode: deprovisionMode().notNull().default("deactivate"),
    maxConcurrency: integer().notNull().default(4),
    ownerId: integer().references(() => identities.id, { onDelete: "set null" }),
    description: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("systems_name_uq").on(t.name), index("systems_owner_idx").on(t.ownerId)],
);

/** An identity's account on a system. A person may have several (e.g. a normal and an admin account). */
export const accounts = pgTable(
  "accounts",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    systemId: integer()
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
    identityId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    username: text().notNull(),
    externalId: text(),
    /** The account's id at the system (SCIM `id`), stored by reconciliation (lib/reconciliation). */
    remoteId: text(),
    status: accountStatus().notNull().default("active"),
    lastLoginAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("accounts_system_username_uq").on(t.systemId, sql`lower(${t.username})`),
    index("accounts_identity_idx").on(t.identityId, t.systemId),
    index("accounts_system_status_idx").on(t.systemId, t.status),
    uniqueIndex("accounts_system_remote_uq").on(t.systemId, t.remoteId).where(sql`${t.remoteId} IS NOT NULL`),
  ],
);

export const entitlements = pgTable(
  "entitlements",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    systemId: integer()
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text(),
    privileged: boolean().notNull().default(false),
  },
  (t) => [
    uniqueIndex("entitlements_system_name_uq").on(t.systemId, t.name),
    index("entitlements_privileged_idx").on(t.systemId).where(sql`${t.privileged}`),
  ],
);

/** account × entitlement. Revoked grants stay as history (revoked_at set); live grants have revoked_at null. */
export const grants = pgTable(
  "grants",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    accountId: integer()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    entitlementId: integer()
      .notNull()
      .references(() => entitlements.id, { onDelete: "cascade" }),
    source: grantSource().notNull().default("birthright"),
    grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // One live grant of an entitlement per account; history rows are allowed beside it.
    uniqueIndex("grants_live_uq").on(t.accountId, t.entitlementId).where(sql`${t.revokedAt} IS NULL`),
    index("grants_entitlement_idx").on(t.entitlementId),
    index("grants_expiry_idx").on(t.expiresAt).where(sql`${t.expiresAt} IS NOT NULL AND ${t.revokedAt} IS NULL`),
  ],
);
