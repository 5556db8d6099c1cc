import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { devicePlatform } from "./enums";
import { identities } from "./org";
import { systems } from "./systems";

/** Live application sessions, revocable one by one or all at once (OWASP ASVS 7.4.2 / 7.4.5). */
export const appSessions = pgTable(
  "app_sessions",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    identityId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    systemId: integer()
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull(),
    ipAddress: text(),
    userAgent: text(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("app_sessions_identity_live_idx").on(t.identityId).where(sql`${t.revokedAt} IS NULL`)],
);

export const trustedDevices = pgTable(
  "trusted_devices",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    identityId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    /** The MDM (or directory) that holds the trust; the revocation task runs against it. */
    systemId: integer().references(() => systems.id, { onDelete: "set null" }),
    name: text().notNull(),
    platform: devicePlatform().notNull(),
    managed: boolean().notNull().default(true),
    trustedAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("trusted_devices_identity_live_idx").on(t.identityId).where(sql`${t.revokedAt} IS NULL`)],
);
