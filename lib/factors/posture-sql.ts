import {
  type AuthenticatorType,
  PHISHING_RESISTANT,
  PRIMARY_STRENGTH,
  RECOVERY_STRENGTH,
  UV_SENSITIVE,
} from "./strength";

/**
 * The SQL side of the strength model, written from the TypeScript tables in ./strength.ts so the two cannot
 * drift: scripts/generate-posture-sql.ts prints this as a migration, and posture-sql.test.ts fails when the
 * newest migration defining these functions no longer matches what the tables say today.
 *
 * Pure text, no database: the generated part (strength and phishing resistance per factor) and the posture
 * maintenance that uses it (the rollup function, its triggers, the bulk-load defer switch).
 */
const list = (types: Iterable<AuthenticatorType>) => [...types].map((t) => `'${t}'`).join(", ");
const whens = (table: Record<AuthenticatorType, number>) =>
  Object.entries(table)
    .map(([type, n]) => `WHEN '${type}' THEN ${n}`)
    .join(" ");

const GENERATED_BANNER = "-- BEGIN generated from lib/factors/strength.ts by scripts/generate-posture-sql.ts";
const GENERATED_END = "-- END generated";

/** factor_strength() and factor_phishing_resistant(): the per-factor rules, as inlinable SQL functions. */
export function strengthFunctionsSql(): string {
  return `${GENERATED_BANNER}
-- Strength 0–5 of one factor used to sign in (primary) or to get back in (recovery); passkeys and keys
-- without user verification count one level lower (STANDARDS.md).
CREATE OR REPLACE FUNCTION factor_strength(t authenticator_type, u authenticator_usage, uv boolean) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT greatest(0,
           CASE u WHEN 'primary' THEN CASE t ${whens(PRIMARY_STRENGTH)} END
                  ELSE CASE t ${whens(RECOVERY_STRENGTH)} END END
           - CASE WHEN t IN (${list(UV_SENSITIVE)}) AND NOT uv THEN 1 ELSE 0 END)::smallint
$$;
--> statement-breakpoint
-- Cryptographic authenticators with verifier-name or channel binding; keys and passkeys only with user verification.
CREATE OR REPLACE FUNCTION factor_phishing_resistant(t authenticator_type, uv boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT t IN (${list(PHISHING_RESISTANT)}) AND (t NOT IN (${list(UV_SENSITIVE)}) OR uv)
$$;
${GENERATED_END}`;
}

/**
 * refresh_identity_posture(ids, at): recomputes the rollup rows of some people (all humans when ids is NULL)
 * as of `at` (the transaction's time by default). plpgsql, so its statement's plan is cached per connection.
 */
export const REFRESH_FUNCTION_SQL = `-- next_change_at is when the row goes stale without any write (a factor or a privileged grant expiring);
-- the posture.expire job refreshes rows whose time has come. Everyone (ids NULL) goes in batches of 20,000
-- people through the same statement, so the statement has one shape and one cached generic plan (index
-- lookups per person): planning it afresh would cost more than running it.
CREATE OR REPLACE FUNCTION refresh_identity_posture(ids integer[], at timestamptz DEFAULT now()) RETURNS void
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  lo integer := 0;
  top integer;
BEGIN
  IF ids IS NULL THEN
    SELECT max(id) INTO top FROM identities;
    WHILE lo <= coalesce(top, -1) LOOP
      PERFORM refresh_identity_posture(ARRAY(SELECT id FROM identities WHERE kind = 'human' AND id > lo AND id <= lo + 20000), at);
      lo := lo + 20000;
    END LOOP;
    RETURN;
  END IF;
  -- Someone who is no longer a person (or no longer exists) has no posture.
  DELETE FROM identity_posture p WHERE p.identity_id = ANY(ids)
     AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.id = p.identity_id AND i.kind = 'human');
  WITH target AS (
    SELECT i.id, i.department_id, i.status FROM identities i
     WHERE i.kind = 'human' AND i.id = ANY(ids)
  ), factors AS (
    SELECT a.identity_id,
           max(factor_strength(a.type, a.usage, a.user_verification)) FILTER (WHERE a.usage = 'primary') AS best_primary,
           min(factor_strength(a.type, a.usage, a.user_verification)) FILTER (WHERE a.usage = 'recovery') AS weakest_recovery,
           bool_or(a.usage = 'primary' AND factor_phishing_resistant(a.type, a.user_verification)) AS phishing_resistant,
           min(a.expires_at) AS next_expiry
      FROM authenticators a
     WHERE a.identity_id IN (SELECT id FROM target)
       AND a.status = 'active' AND (a.expires_at IS NULL OR a.expires_at > at)
     GROUP BY a.identity_id
  ), privileged_accounts AS (
    -- Active accounts holding at least one live privileged grant: one entry per account.
    SELECT ac.identity_id, ac.system_id, ac.id, min(gr.expires_at) AS next_expiry
      FROM accounts ac
      JOIN grants gr ON gr.account_id = ac.id AND gr.revoked_at IS NULL AND (gr.expires_at IS NULL OR gr.expires_at > at)
      JOIN entitlements e ON e.id = gr.entitlement_id AND e.privileged
     WHERE ac.identity_id IN (SELECT id FROM target) AND ac.status = 'active'
     GROUP BY ac.identity_id, ac.system_id, ac.id
  ), privileged AS (
    SELECT identity_id, array_agg(system_id ORDER BY system_id, id) AS systems, min(next_expiry) AS next_expiry
      FROM privileged_accounts GROUP BY identity_id
  )
  INSERT INTO identity_posture AS p (identity_id, department_id, active, primary_strength, recovery_strength,
                                     effective_strength, phishing_resistant, has_privileged, privileged_system_ids,
                                     next_change_at, updated_at)
  SELECT t.id, t.department_id, t.status = 'active',
         coalesce(f.best_primary, 0),
         f.weakest_recovery,
         least(coalesce(f.best_primary, 0), coalesce(f.weakest_recovery, f.best_primary, 0)),
         coalesce(f.phishing_resistant, false),
         pv.identity_id IS NOT NULL,
         coalesce(pv.systems, '{}'::integer[]),
         least(f.next_expiry, pv.next_expiry),
         at
    FROM target t
    LEFT JOIN factors f ON f.identity_id = t.id
    LEFT JOIN privileged pv ON pv.identity_id = t.id
  ON CONFLICT (identity_id) DO UPDATE SET
    department_id = excluded.department_id, active = excluded.active,
    primary_strength = excluded.primary_strength, recovery_strength = excluded.recovery_strength,
    effective_strength = excluded.effective_strength, phishing_resistant = excluded.phishing_resistant,
    has_privileged = excluded.has_privileged, privileged_system_ids = excluded.privileged_system_ids,
    next_change_at = excluded.next_change_at, updated_at = excluded.updated_at;
END $$;`;

/** One statement-level trigger function per table: which people a changed row can move, never per row. */
export const TRIGGERS_SQL = `CREATE OR REPLACE FUNCTION identity_posture_deferred() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT coalesce(current_setting('lockstep.defer_posture', true), '') = 'on' $$;
--> statement-breakpoint
-- authenticators: a factor enrolled, removed, or changed in anything the strength reads (a last-used
-- timestamp alone does not move anyone).
CREATE OR REPLACE FUNCTION identity_posture_on_authenticators() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF identity_posture_deferred() THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_identity_posture(ARRAY(SELECT DISTINCT identity_id FROM changed));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM refresh_identity_posture(ARRAY(SELECT DISTINCT identity_id FROM changed_old));
  ELSE
    PERFORM refresh_identity_posture(ARRAY(
      SELECT n.identity_id FROM changed n JOIN changed_old o ON o.id = n.id
       WHERE (n.identity_id, n.type, n.usage, n.status, n.user_verification, n.expires_at)
             IS DISTINCT FROM (o.identity_id, o.type, o.usage, o.status, o.user_verification, o.expires_at)
      UNION
      SELECT o.identity_id FROM changed n JOIN changed_old o ON o.id = n.id WHERE n.identity_id <> o.identity_id));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER identity_posture_authenticators_insert AFTER INSERT ON authenticators
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_on_authenticators();
--> statement-breakpoint
CREATE TRIGGER identity_posture_authenticators_update AFTER UPDATE ON authenticators
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_on_authenticators();
--> statement-breakpoint
CREATE TRIGGER identity_posture_authenticators_delete AFTER DELETE ON authenticators
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_on_authenticators();
--> statement-breakpoint
-- grants: the holders of grants given, revoked, re-pointed or given an expiry. Inserts only matter for
-- privileged entitlements; deletes are not filtered (a cascade from a deleted entitlement leaves nothing to
-- join), and accounts deleted in the same cascade are covered by the accounts trigger.
CREATE OR REPLACE FUNCTION identity_posture_on_grants() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF identity_posture_deferred() THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_identity_posture(ARRAY(
      SELECT DISTINCT ac.identity_id FROM changed g
        JOIN entitlements e ON e.id = g.entitlement_id AND e.privileged
        JOIN accounts ac ON ac.id = g.account_id));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM refresh_identity_posture(ARRAY(
      SELECT DISTINCT ac.identity_id FROM changed_old g JOIN accounts ac ON ac.id = g.account_id));
  ELSE
    PERFORM refresh_identity_posture(ARRAY(
      SELECT ac.identity_id
        FROM changed n JOIN changed_old o ON o.id = n.id
        JOIN accounts ac ON ac.id IN (n.account_id, o.account_id)
       WHERE (n.account_id, n.entitlement_id, n.revoked_at, n.expires_at)
             IS DISTINCT FROM (o.account_id, o.entitlement_id, o.revoked_at, o.expires_at)
         AND EXISTS (SELECT 1 FROM entitlements e WHERE e.id IN (n.entitlement_id, o.entitlement_id) AND e.privileged)));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER identity_posture_grants_insert AFTER INSERT ON grants
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_on_grants();
--> statement-breakpoint
CREATE TRIGGER identity_posture_grants_update AFTER UPDATE ON grants
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_on_grants();
--> statement-breakpoint
CREATE TRIGGER identity_posture_grants_delete AFTER DELETE ON grants
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_on_grants();
--> statement-breakpoint
-- accounts: a disabled, re-enabled, moved or deleted account takes its privileged grants with it.
CREATE OR REPLACE FUNCTION identity_posture_on_accounts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF identity_posture_deferred() THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM refresh_identity_posture(ARRAY(SELECT DISTINCT identity_id FROM changed_old));
  ELSE
    PERFORM refresh_identity_posture(ARRAY(
      SELECT x.id FROM changed n JOIN changed_old o ON o.id = n.id
       CROSS JOIN LATERAL (VALUES (n.identity_id), (o.identity_id)) AS x(id)
       WHERE n.status IS DISTINCT FROM o.status OR n.identity_id <> o.identity_id));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER identity_posture_accounts_update AFTER UPDATE ON accounts
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_on_accounts();
--> statement-breakpoint
CREATE TRIGGER identity_posture_accounts_delete AFTER DELETE ON accounts
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_on_accounts();
--> statement-breakpoint
-- entitlements: flagging an entitlement privileged (or not) moves everyone holding it.
CREATE OR REPLACE FUNCTION identity_posture_on_entitlements() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF identity_posture_deferred() THEN RETURN NULL; END IF;
  PERFORM refresh_identity_posture(ARRAY(
    SELECT DISTINCT ac.identity_id
      FROM changed n JOIN changed_old o ON o.id = n.id AND n.privileged IS DISTINCT FROM o.privileged
      JOIN grants gr ON gr.entitlement_id = n.id AND gr.revoked_at IS NULL
      JOIN accounts ac ON ac.id = gr.account_id));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER identity_posture_entitlements_update AFTER UPDATE ON entitlements
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_on_entitlements();
--> statement-breakpoint
-- identities: a new person, or a change of status (leavers drop out of "active"), department or kind.
CREATE OR REPLACE FUNCTION identity_posture_on_identities() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF identity_posture_deferred() THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_identity_posture(ARRAY(SELECT id FROM changed WHERE kind = 'human'));
  ELSE
    PERFORM refresh_identity_posture(ARRAY(
      SELECT n.id FROM changed n JOIN changed_old o ON o.id = n.id
       WHERE (n.status, n.department_id, n.kind) IS DISTINCT FROM (o.status, o.department_id, o.kind)));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER identity_posture_identities_insert AFTER INSERT ON identities
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_on_identities();
--> statement-breakpoint
CREATE TRIGGER identity_posture_identities_update AFTER UPDATE ON identities
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_on_identities();`;

/** The whole migration that moves posture maintenance into the database. */
export function postureMigrationSql(): string {
  return `-- The identity_posture rollup (db/schema/factors.ts), kept current by the database itself: statement-level
-- triggers on authenticators, grants, accounts, entitlements and identities call refresh_identity_posture in
-- the transaction of every change, whoever makes it (leavers, reviews, break-glass, imports). A bulk loader may
-- SET LOCAL lockstep.defer_posture = 'on' and call refresh_identity_posture(NULL) once at the end (the seed does).
-- Written by scripts/generate-posture-sql.ts; the strength rules come from lib/factors/strength.ts.

${strengthFunctionsSql()}
--> statement-breakpoint
${REFRESH_FUNCTION_SQL}
--> statement-breakpoint
${TRIGGERS_SQL}
--> statement-breakpoint
-- Databases that already hold people get the new columns filled now.
SELECT refresh_identity_posture(NULL);
`;
}
