-- Private messages get their own data class. A value added in this transaction cannot be used in it yet, so the
-- functions below compare data classes as text.
ALTER TYPE "public"."data_class" ADD VALUE 'private_messages';--> statement-breakpoint
-- An endpoint's reach is a list of scope sets (OpenAPI: scopes within one security requirement object are all
-- required, separate objects are alternatives). Existing endpoints were reached by their one scope.
ALTER TABLE "api_endpoints" ADD COLUMN "scope_sets" jsonb;--> statement-breakpoint
UPDATE "api_endpoints" SET "scope_sets" = jsonb_build_array(jsonb_build_array("scope"));--> statement-breakpoint
ALTER TABLE "api_endpoints" ALTER COLUMN "scope_sets" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "api_endpoints" ADD CONSTRAINT "api_endpoints_scope_sets_ck" CHECK (jsonb_typeof("api_endpoints"."scope_sets") = 'array' AND jsonb_array_length("api_endpoints"."scope_sets") > 0 AND "api_endpoints"."scope_sets"->0->>0 = "api_endpoints"."scope");--> statement-breakpoint
-- A credential holding `held` reaches an endpoint when it holds every scope of at least one of its sets
-- (lib/api-scopes/rules.ts `reaches`).
CREATE OR REPLACE FUNCTION api_endpoint_reached(sets jsonb, held text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT EXISTS (SELECT 1 FROM jsonb_array_elements(sets) AS s(scopes)
                  WHERE jsonb_array_length(s.scopes) > 0
                    AND ARRAY(SELECT jsonb_array_elements_text(s.scopes)) <@ held)
$$;
--> statement-breakpoint
-- Every scope named in any set: the credentials holding one of them may have gained or lost the endpoint.
CREATE OR REPLACE FUNCTION api_endpoint_scopes(sets jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(DISTINCT x), '{}') FROM jsonb_array_elements(sets) AS s(scopes), jsonb_array_elements_text(s.scopes) AS x
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION api_endpoint_weight(classes data_class[], bulk boolean, max_records integer) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce((SELECT max(CASE x::text WHEN 'credentials' THEN 10 WHEN 'pii' THEN 8 WHEN 'health' THEN 8
                                      WHEN 'private_messages' THEN 8 WHEN 'financial' THEN 6 WHEN 'internal' THEN 2 END)
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
-- As in 0009, with reach through the scope sets.
CREATE OR REPLACE FUNCTION refresh_credential_risk(ids integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL THEN
    PERFORM refresh_all_credential_risk();
    RETURN;
  END IF;
  PERFORM 1 FROM credential_risk WHERE credential_id = ANY(ids) ORDER BY credential_id FOR UPDATE;
  WITH old AS (
    SELECT * FROM credential_risk WHERE credential_id = ANY(ids)
  ), new AS (
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
                 WHERE e2.system_id = c.issuer_system_id AND api_endpoint_reached(e2.scope_sets, c.scopes)) AS classes
          FROM api_endpoints e
         WHERE e.system_id = c.issuer_system_id AND api_endpoint_reached(e.scope_sets, c.scopes)
      ) reach ON true
     WHERE c.id = ANY(ids)
    ON CONFLICT (credential_id) DO UPDATE SET
      live = excluded.live, kind = excluded.kind, issuer_system_id = excluded.issuer_system_id,
      holder_id = excluded.holder_id, owner_id = excluded.owner_id, department_id = excluded.department_id,
      blast_radius = excluded.blast_radius, reach_endpoints = excluded.reach_endpoints, reach_bulk = excluded.reach_bulk,
      max_records_per_call = excluded.max_records_per_call, data_classes = excluded.data_classes, bulk_pii = excluded.bulk_pii,
      orphaned = excluded.orphaned, leaver_holder = excluded.leaver_holder, no_expiry = excluded.no_expiry,
      last_activity_at = excluded.last_activity_at, rotation_anchor_at = excluded.rotation_anchor_at,
      idle_scope_since = excluded.idle_scope_since
    RETURNING r.*
  ), changed AS (
    SELECT -1 AS d, old.* FROM old UNION ALL SELECT 1 AS d, new.* FROM new
  )
  INSERT INTO credential_risk_counts AS k (metric, day, n)
  SELECT m.metric, m.day, sum(changed.d)::int
    FROM changed CROSS JOIN LATERAL credential_risk_metrics(changed.live, changed.orphaned, changed.leaver_holder, changed.bulk_pii,
           changed.no_expiry, changed.reach_bulk, changed.last_activity_at, changed.idle_scope_since, changed.rotation_anchor_at) m
   GROUP BY m.metric, m.day
  HAVING sum(changed.d) <> 0
   ORDER BY m.metric, m.day
  ON CONFLICT (metric, day) DO UPDATE SET n = k.n + excluded.n;
END $$;
--> statement-breakpoint
-- api_endpoints: credentials of the same issuer holding any scope of any set, before or after the change.
CREATE OR REPLACE FUNCTION credential_risk_on_endpoints() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF credential_risk_deferred() THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM refresh_credential_risk(ARRAY(
      SELECT c.id FROM credentials c
        JOIN (SELECT system_id, array_agg(DISTINCT scope) AS scopes
                FROM (SELECT system_id, unnest(api_endpoint_scopes(scope_sets)) AS scope FROM changed
                      UNION SELECT system_id, unnest(api_endpoint_scopes(scope_sets)) FROM changed_old) s
               GROUP BY system_id) x ON c.issuer_system_id = x.system_id AND c.scopes && x.scopes));
  ELSE
    PERFORM refresh_credential_risk(ARRAY(
      SELECT c.id FROM credentials c
        JOIN (SELECT system_id, array_agg(DISTINCT scope) AS scopes
                FROM (SELECT system_id, unnest(api_endpoint_scopes(scope_sets)) AS scope FROM changed) s
               GROUP BY system_id) x
          ON c.issuer_system_id = x.system_id AND c.scopes && x.scopes));
  END IF;
  RETURN NULL;
END $$;
