import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { machineClientKind } from "./enums";
import { identities } from "./org";

/**
 * A machine client and its bearer token (lib/edge/machine.ts turns the token into a machine actor). Only the
 * token's sha256 is kept: it is shown once when created. Revoked clients stay, for the audit trail.
 */
export const machineClients = pgTable(
  "machine_clients",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    kind: machineClientKind().notNull(),
    name: text().notNull(),
    /** sha256 (hex) of the whole token; tokens are 256-bit random, so a fast hash is enough. */
    tokenHash: text().notNull(),
    /** The token's first characters, to tell tokens apart in the list ("lsp_Xy3k…"). */
    tokenHint: text().notNull(),
    createdById: integer().references(() => identities.id, { onDelete: "set null" }),
    /** Who created it, as it read then ("Priya Nair", "scim:token CLI (alice)"). */
    createdByLabel: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Kept to the minute: a busy client does not write on every request. */
    lastUsedAt: timestamp({ withTimezone: true }),
    lastUsedIp: text(),
    revokedAt: timestamp({ withTimezone: true }),
    revokedById: integer().references(() => identities.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("machine_clients_token_uq").on(t.tokenHash),
    // One live client per name and kind, so the list and the audit trail read unambiguously.
    uniqueIndex("machine_clients_live_name_uq").on(t.kind, sql`lower(${t.name})`).where(sql`${t.revokedAt} IS NULL`),
  ],
);

/**
 * What a provisioning client said about a person beyond the identity's own columns (lib/scim): its externalId,
 * SCIM attributes Lockstep has no column for (name parts, phone numbers, cost center…), and whether the client
 * deleted the resource (a deleted User answers 404 and leaves the lists; the identity stays, as a leaver).
 */
export const scimUsers = pgTable(
  "scim_users",
  {
    identityId: integer()
      .primaryKey()
      .references(() => identities.id, { onDelete: "cascade" }),
    externalId: text(),
    attributes: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    clientId: integer().references(() => machineClients.id, { onDelete: "set null" }),
    deletedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("scim_users_external_id_idx").on(t.externalId)],
);

/**
 * SCIM Groups pushed by a provisioning client: directory groups with members, kept as sent. They grant nothing
 * (console roles come from console_roles only); reviews and reconciliation may read them.
 */
export const scimGroups = pgTable(
  "scim_groups",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    displayName: text().notNull(),
    externalId: text(),
    clientId: integer().references(() => machineClients.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("scim_groups_display_name_uq").on(sql`lower(${t.displayName})`),
    index("scim_groups_external_id_idx").on(t.externalId),
  ],
);

export const scimGroupMembers = pgTable(
  "scim_group_members",
  {
    groupId: integer()
      .notNull()
      .references(() => scimGroups.id, { onDelete: "cascade" }),
    identityId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.identityId] }),
    index("scim_group_members_identity_idx").on(t.identityId),
  ],
);
