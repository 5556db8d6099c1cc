import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { webauthnCeremony } from "./enums";
import { identities } from "./org";

/**
 * Passkeys console users sign in and step up with (WebAuthn; Lockstep is the relying party). Distinct from
 * `authenticators`, which describes factors people hold at the organisation's own IdP.
 */
export const consolePasskeys = pgTable(
  "console_passkeys",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    identityId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    /** The credential id the authenticator chose (base64url), unique across all relying-party users. */
    credentialId: text().notNull(),
    /** COSE public key (base64url), as the registration's attested credential data carried it. */
    publicKey: text().notNull(),
    /** Signature counter: an assertion whose counter does not grow (when the authenticator keeps one) is a clone. */
    counter: bigint({ mode: "number" }).notNull().default(0),
    transports: text().array().notNull().default(sql`'{}'::text[]`),
    /** Multi-device (synced) or device-bound, and whether it was backed up, from the authenticator's flags. */
    multiDevice: boolean().notNull().default(false),
    backedUp: boolean().notNull().default(false),
    name: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("console_passkeys_credential_uq").on(t.credentialId),
    index("console_passkeys_identity_idx").on(t.identityId),
    check("console_passkeys_name_len", sql`char_length(${t.name}) BETWEEN 1 AND 60`),
  ],
);

/**
 * A WebAuthn challenge issued for one ceremony: used once (deleted, or marked verified, by the first response that
 * names it) and only until it expires. A verified step-up challenge is then redeemed once by the session that
 * asked for it (lib/auth/challenges.internal.ts), which is how the session learns of the step-up.
 */
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    /** Random and unguessable (it is also the step-up grant the session redeems). */
    id: text().primaryKey(),
    ceremony: webauthnCeremony().notNull(),
    challenge: text().notNull(),
    /** Whose ceremony it is; null only for a sign-in, where nobody is known yet. */
    identityId: integer().references(() => identities.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** Step-up only: when the assertion was verified; the session redeems the challenge after this. */
    verifiedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("webauthn_challenges_expires_idx").on(t.expiresAt),
    check("webauthn_challenges_owner", sql`${t.ceremony} = 'sign_in' OR ${t.identityId} IS NOT NULL`),
  ],
);

/**
 * Console sign-in sessions, held on the server so they really end: the session cookie (a signed JWT) only names its
 * row, and every request checks it — signed out, ended everywhere, past its idle or absolute timeout, or ended
 * because the person lost console access. (`app_sessions` are the sessions people hold at connected systems.)
 */
export const consoleSessions = pgTable(
  "console_sessions",
  {
    /** 256 random bits (base64url), carried in the session token. */
    id: text().primaryKey(),
    identityId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    /** passkey, oidc or demo. */
    method: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull(),
    /** The absolute end, fixed at sign-in: no request extends it. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    /** sign_out, sign_out_everywhere, role_removed, leaver, idle, expired. */
    endedReason: text(),
    ipAddress: text(),
    userAgent: text(),
  },
  (t) => [index("console_sessions_identity_live_idx").on(t.identityId).where(sql`${t.endedAt} IS NULL`)],
);
