-- The credential_risk rollup (db/schema/credential-risk.ts), kept current by statement-level triggers in the
-- transaction of every change that moves it: credentials, api_endpoints, credential_scope_usage, an identity's
-- status or department, a leaver case. The weights mirror lib/api-scopes/rules.ts (tests compare the two on
-- every seeded credential). A bulk loader may SET LOCAL lockstep.defer_credential_risk = 'on' and call
-- refresh_credential_risk(NULL) once at the end (the seed does).

-- Weight of one endpoint: its most sensitive data class times its volume tier (records per call).
CREATE OR REPLACE FUNCTION api_endpoint_weight(classes data_class[], bulk boolean, max_records integer) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce((SELECT max(CASE x WHEN 'credentials' THEN 10 WHEN 'pii' THEN 8 WHEN 'health' THEN 8
                                      WHEN 'financial' THEN 6 WHEN 'internal' THEN 2 END)
                     FROM unnest(classes) AS x), 1)
       * CASE WHEN NOT bulk THEN 1
              WHEN max_records IS NULL THEN 3
              WHEN max_records <= 100 THEN 2
              WHEN max_records <= 1000 THEN 3
              WHEN max_records <= 10000 THEN 4
              WHEN max_records <= 100000 THEN 5
              ELSE 6 END
$$;
--> statement-breakpoint
-- Recomputes the rollup rows of the given credentials (all of them when ids is NULL), set-based.
CREATE OR REPLACE FUNCTION refresh_credential_risk(ids integer[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO credential_risk AS r (credential_id, live, kind, issuer_system_id, holder_id, owner_id, department_id,
                                    blast_radius, reach_endpoints, reach_bulk, max_records_per_call, data_classes, bulk_pii,
                                    orphaned, leaver_holder, no_expiry, last_activity_at, rotation_anchor_at, idle_scope_since)
  SELECT c.id, c.status = 'active', c.kind, c.issuer_system_id, c.holder_id, c.owner_id,
         coalesce(o.department_id, h.department_id),
         coalesce(reach.score, 0), coalesce(reach.n, 0), coalesce(reach.n_bulk, 0), reach.max_records,
         coalesce(reach.classes, '{}'::data_class[]), coalesce(reach.bulk_pii, false),
         o.id IS NULL OR o.status <> 'active',
         EXISTS (SELECT 1 FROM leaver_cases lc WHERE lc.identity_id = c.holder_id AND lc.status <> 'closed'),
         c.expires_at IS NULL,
         coalesce(c.last_used_at, c.created_at),
         CASE WHEN c.kind <> 'oauth_grant' THEN coalesce(c.last_rotated_at, c.created_at) END,
         CASE WHEN EXISTS (SELECT 1 FROM credential_scope_usage u WHERE u.credential_id = c.id)
              THEN (SELECT min(coalesce(u.last_used_at, c.created_at))
                      FROM unnest(c.scopes) AS s(scope)
                      LEFT JOIN credential_scope_usage u ON u.credential_id = c.id AND u.scope = s.scope) END
    FROM credentials c
    JOIN identities h ON h.id = c.holder_id
    LEFT JOIN identities o ON o.id = c.owner_id
    LEFT JOIN LATERAL (
      SELECT sum(api_endpoint_weight(e.data_classes, e.bulk, e.max_records_per_call))::int AS score,
             count(*)::int AS n,
             (count(*) FILTER (WHERE e.bulk))::int AS n_bulk,
             max(e.max_records_per_call) FILTER (WHERE e.bulk) AS max_records,
             bool_or(e.bulk AND 'pii' = ANY(e.data_classes)) AS bulk_pii,
             (SELECT array_agg(DISTINCT x ORDER BY x) FROM api_endpoints e2, unnest(e2.data_classes) AS x
               WHERE e2.system_id = c.issuer_system_id AND e2.scope = ANY(c.scopes)) AS classes
        FROM api_endpoints e
       WHERE e.system_id = c.issuer_system_id AND e.scope = ANY(c.scopes)
    ) reach ON true
   WHERE ids IS NULL OR c.id = ANY(ids)
  ON CONFLICT (credential_id) DO UPDATE SET
    live = excluded.live, kind = excluded.kind, issuer_system_id = excluded.issuer_system_id,
    holder_id = excluded.holder_id, owner_id = excluded.owner_id, department_id = excluded.department_id,
    blast_radius = excluded.blast_radius, reach_endpoints = excluded.reach_endpoints, reach_bulk = excluded.reach_bulk,
    max_records_per_call = excluded.max_records_per_call, data_classes = excluded.data_classes, bulk_pii = excluded.bulk_pii,
    orphaned = excluded.orphaned, leaver_holder = excluded.leaver_holder, no_expiry = excluded.no_expiry,
    last_activity_at = excluded.last_activity_at, rotation_anchor_at = excluded.rotation_anchor_at,
    idle_scope_since = excluded.idle_scope_since
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION credential_risk_deferred() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT coalesce(current_setting('lockstep.defer_credential_risk', true), '') = 'on' $$;
--> statement-breakpoint
-- credentials: every inserted or updated row (transition table "changed").
CREATE OR REPLACE FUNCTION credential_risk_on_credentials() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF credential_risk_deferred() THEN RETURN NULL; END IF;
  PERFORM refresh_credential_risk(ARRAY(SELECT id FROM changed));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER credential_risk_credentials_insert AFTER INSERT ON credentials
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_credentials();
--> statement-breakpoint
CREATE TRIGGER credential_risk_credentials_update AFTER UPDATE ON credentials
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_credentials();
--> statement-breakpoint
-- credential_scope_usage: the credentials whose usage rows changed.
CREATE OR REPLACE FUNCTION credential_risk_on_usage() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF credential_risk_deferred() THEN RETURN NULL; END IF;
  PERFORM refresh_credential_risk(ARRAY(SELECT DISTINCT credential_id FROM changed));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER credential_risk_usage_insert AFTER INSERT ON credential_scope_usage
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_usage();
--> statement-breakpoint
CREATE TRIGGER credential_risk_usage_update AFTER UPDATE ON credential_scope_usage
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_usage();
--> statement-breakpoint
CREATE TRIGGER credential_risk_usage_delete AFTER DELETE ON credential_scope_usage
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_usage();
--> statement-breakpoint
-- api_endpoints: credentials of the same issuer holding a scope that was added, changed or removed.
CREATE OR REPLACE FUNCTION credential_risk_on_endpoints() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF credential_risk_deferred() THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM refresh_credential_risk(ARRAY(
      SELECT c.id FROM credentials c
        JOIN (SELECT system_id, array_agg(scope) AS scopes
                FROM (SELECT system_id, scope FROM changed UNION SELECT system_id, scope FROM changed_old) s
               GROUP BY system_id) x ON c.issuer_system_id = x.system_id AND c.scopes && x.scopes));
  ELSE
    PERFORM refresh_credential_risk(ARRAY(
      SELECT c.id FROM credentials c
        JOIN (SELECT system_id, array_agg(scope) AS scopes FROM changed GROUP BY system_id) x
          ON c.issuer_system_id = x.system_id AND c.scopes && x.scopes));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER credential_risk_endpoints_insert AFTER INSERT ON api_endpoints
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_endpoints();
--> statement-breakpoint
CREATE TRIGGER credential_risk_endpoints_update AFTER UPDATE ON api_endpoints
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_endpoints();
--> statement-breakpoint
CREATE TRIGGER credential_risk_endpoints_delete AFTER DELETE ON api_endpoints
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_endpoints();
--> statement-breakpoint
-- identities: a holder's or owner's status or department changed (an owner leaving orphans their credentials).
CREATE OR REPLACE FUNCTION credential_risk_on_identities() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  moved integer[];
BEGIN
  IF credential_risk_deferred() THEN RETURN NULL; END IF;
  moved := ARRAY(SELECT n.id FROM changed n JOIN changed_old o ON o.id = n.id
                  WHERE n.status IS DISTINCT FROM o.status OR n.department_id IS DISTINCT FROM o.department_id);
  IF cardinality(moved) > 0 THEN
    PERFORM refresh_credential_risk(ARRAY(
      SELECT id FROM credentials WHERE holder_id = ANY(moved) UNION SELECT id FROM credentials WHERE owner_id = ANY(moved)));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER credential_risk_identities_update AFTER UPDATE ON identities
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_identities();
--> statement-breakpoint
-- leaver_cases: a case opened, closed or reopened changes "held by a leaver with an open case".
CREATE OR REPLACE FUNCTION credential_risk_on_cases() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  people integer[];
BEGIN
  IF credential_risk_deferred() THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN
    people := ARRAY(SELECT n.identity_id FROM changed n JOIN changed_old o ON o.id = n.id
                     WHERE n.status IS DISTINCT FROM o.status OR n.identity_id IS DISTINCT FROM o.identity_id
                    UNION SELECT o.identity_id FROM changed n JOIN changed_old o ON o.id = n.id
                     WHERE n.identity_id IS DISTINCT FROM o.identity_id);
  ELSE
    people := ARRAY(SELECT DISTINCT identity_id FROM changed);
  END IF;
  IF cardinality(people) > 0 THEN
    PERFORM refresh_credential_risk(ARRAY(SELECT id FROM credentials WHERE holder_id = ANY(people)));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER credential_risk_cases_insert AFTER INSERT ON leaver_cases
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_cases();
--> statement-breakpoint
CREATE TRIGGER credential_risk_cases_update AFTER UPDATE ON leaver_cases
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_cases();
--> statement-breakpoint
CREATE TRIGGER credential_risk_cases_delete AFTER DELETE ON leaver_cases
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_cases();
--> statement-breakpoint
-- Databases that already hold credentials get their rollup now.
SELECT refresh_credential_risk(NULL);
