import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { credentialKind, credentialStatus, dataClass, httpMethod } from "./enums";
import { identities } from "./org";
import { systems } from "./systems";

/** API keys, PATs, OAuth clients and grants, service-account keys, SSH keys. */
export const credentials = pgTable(
  "credentials",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    kind: credentialKind().notNull(),
    name: text().notNull(),
    issuerSystemId: integer()
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
    /** Who presents it: a person or a non-human identity. */
    holderId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    /** The accountable human; null when nobody answers for it (an orphan). */
    ownerId: integer().references(() => identities.id, { onDelete: "set null" }),
    /** The issuer's handle for it (token id, client id, key fingerprint) used by connectors. */
    externalRef: text(),
    scopes: text().array().notNull().default(sql`'{}'::text[]`),
    status: credentialStatus().notNull().default("active"),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    lastUsedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    lastRotatedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("credentials_holder_idx").on(t.holderId),
    index("credentials_owner_idx").on(t.ownerId),
    index("credentials_issuer_idx").on(t.issuerSystemId, t.status),
    index("credentials_scopes_gin_idx").using("gin", t.scopes),
    uniqueIndex("credentials_issuer_ref_uq").on(t.issuerSystemId, t.externalRef),
  ],
);

/** What a scope reaches on a system; bulk endpoints return many records per call. */
export const apiEndpoints = pgTable(
  "api_endpoints",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    systemId: integer()
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
    method: httpMethod().notNull(),
    path: text().notNull(),
    /**
     * The scope sets that reach it (OpenAPI security requirements): a credential reaches the endpoint when it holds
     * every scope of at least one set. Each set is non-empty; API-key and HTTP schemes count as a scope of their name.
     */
    scopeSets: jsonb().$type<string[][]>().notNull(),
    /** The first scope of the first set: the label the endpoint is listed and indexed under, never its reach. */
    scope: text().notNull(),
    bulk: boolean().notNull().default(false),
    maxRecordsPerCall: integer(),
    dataClasses: dataClass().array().notNull().default(sql`'{}'::data_class[]`),
    description: text(),
  },
  (t) => [
    uniqueIndex("api_endpoints_route_uq").on(t.systemId, t.method, t.path),
    index("api_endpoints_scope_idx").on(t.systemId, t.scope),
    check(
      "api_endpoints_scope_sets_ck",
      sql`jsonb_typeof(${t.scopeSets}) = 'array' AND jsonb_array_length(${t.scopeSets}) > 0 AND ${t.scopeSets}->0->>0 = ${t.scope}`,
    ),
  ],
);

/** Last use of each scope by a credential, when the issuer reports it; drives the over-scoped finding. */
export const credentialScopeUsage = pgTable(
  "credential_scope_usage",
  {
    credentialId: integer()
      .notNull()
      .references(() => credentials.id, { onDelete: "cascade" }),
    scope: text().notNull(),
    lastUsedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.credentialId, t.scope] })],
);
