import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { credentials } from "./credentials";
import { credentialHandleKind } from "./enums";
import { systems } from "./systems";

/**
 * What Lockstep needs to act on a credential at its issuer: for a token, the token itself (RFC 7009 needs it);
 * for an OAuth client, its RFC 7592 registration (configuration URI + registration access token). Kept encrypted
 * at rest (AES-256-GCM, see lib/connectors/handles.ts), in a table of its own so no plain column, list query or
 * log ever holds it.
 */
export const credentialHandles = pgTable("credential_handles", {
  credentialId: integer()
    .primaryKey()
    .references(() => credentials.id, { onDelete: "cascade" }),
  /** `v1.<iv>.<tag>.<ciphertext>` (base64url); the credential id is bound in as additional data. */
  sealed: text().notNull(),
  kind: credentialHandleKind().notNull().default("token"),
  /** RFC 7009 token_type_hint: access_token | refresh_token. */
  tokenTypeHint: text(),
  /** Which key sealed it ("env" = LOCKSTEP_ENCRYPTION_KEY, "derived" = HKDF of the auth secret). */
  keyId: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * The in-database stand-in a simulated connector acts on (the seeded systems have no real endpoints).
 * No row means the thing exists and is live, as the seed says; executing a revocation writes active=false.
 */
export const simulatedTargetState = pgTable(
  "simulated_target_state",
  {
    systemId: integer()
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
    /** user | grant | sessions | device | token | factor */
    resource: text().notNull(),
    externalKey: text().notNull(),
    active: boolean().notNull(),
    changedAt: timestamp({ withTimezone: true }).notNull(),
    changedByTaskId: bigint({ mode: "number" }),
  },
  (t) => [primaryKey({ columns: [t.systemId, t.resource, t.externalKey] })],
);

/**
 * Jobs for the in-process runner (embedded PGlite, one process). On PostgreSQL graphile-worker keeps its
 * own tables; both run the same handlers (lib/jobs).
 */
export const localJobs = pgTable(
  "local_jobs",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    payload: text().notNull(),
    /** Deduplicates: a second enqueue with the same key replaces the waiting job. */
    key: text().unique(),
    runAt: timestamp({ withTimezone: true }).notNull(),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(3),
    lockedUntil: timestamp({ withTimezone: true }),
    concurrencyGroup: text(),
    concurrencyLimit: integer(),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("local_jobs_due_idx").on(t.runAt, t.id)],
);

/**
 * A circuit breaker per connected system (lib/remediation/circuit.internal.ts, hardening finding 11): consecutive
 * retryable failures; past the threshold the circuit opens and tasks for the system wait (they are not charged an
 * attempt) until `probeAt`, when one task probes. A success closes it and wakes the tasks that waited.
 */
export const connectorCircuits = pgTable("connector_circuits", {
  systemId: integer()
    .primaryKey()
    .references(() => systems.id, { onDelete: "cascade" }),
  failures: integer().notNull().default(0),
  /** How many times in a row it opened (each failed probe doubles the wait). */
  opens: integer().notNull().default(0),
  openedAt: timestamp({ withTimezone: true }),
  probeAt: timestamp({ withTimezone: true }),
  lastError: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
