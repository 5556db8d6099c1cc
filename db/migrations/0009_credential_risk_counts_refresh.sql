-- refresh_credential_risk keeps credential_risk_counts (db/schema/credential-risk.ts) in the same statement as
-- the rollup rows, and takes the rows it changes by id (an index lookup: one credential costs ~1 ms). Rows are
-- locked first so a concurrent refresh of the same credential cannot subtract stale values; counter rows are
-- updated in (metric, day) order so two writers never wait on each other in opposite orders.
-- refresh_all_credential_risk() rebuilds everything in batches (the seed, and this migration).

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
                 WHERE e2.system_id = c.issuer_system_id AND e2.scope = ANY(c.scopes)) AS classes
          FROM api_endpoints e
         WHERE e.system_id = c.issuer_system_id AND e.scope = ANY(c.scopes)
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
-- The counter rows one rollup row contributes to (live rows only).
CREATE OR REPLACE FUNCTION credential_risk_metrics(live boolean, orphaned boolean, leaver_holder boolean, bulk_pii boolean,
    no_expiry boolean, reach_bulk integer, last_activity_at timestamptz, idle_scope_since timestamptz, rotation_anchor_at timestamptz)
RETURNS TABLE (metric text, day date)
LANGUAGE sql IMMUTABLE AS $$
  SELECT v.metric, v.day FROM (VALUES
    ('live', '-infinity'::date, live),
    ('orphaned', '-infinity'::date, live AND orphaned),
    ('leaver_holder', '-infinity'::date, live AND leaver_holder),
    ('bulk_pii', '-infinity'::date, live AND bulk_pii),
    ('no_expiry', '-infinity'::date, live AND no_expiry),
    ('stale', (last_activity_at AT TIME ZONE 'UTC')::date, live),
    ('stale_bulk', (last_activity_at AT TIME ZONE 'UTC')::date, live AND reach_bulk > 0),
    ('over_scoped', (idle_scope_since AT TIME ZONE 'UTC')::date, live AND idle_scope_since IS NOT NULL),
    ('rotation_overdue', (rotation_anchor_at AT TIME ZONE 'UTC')::date, live AND rotation_anchor_at IS NOT NULL)
  ) AS v(metric, day, keep)
  WHERE v.keep
$$;
--> statement-breakpoint
-- Everything, in batches of 20,000 credentials (the seed after its bulk load; databases upgraded by this migration).
CREATE OR REPLACE FUNCTION refresh_all_credential_risk() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  lo integer := 0;
  top integer;
BEGIN
  SELECT max(id) INTO top FROM credentials;
  WHILE lo <= coalesce(top, -1) LOOP
    PERFORM refresh_credential_risk(ARRAY(SELECT id FROM credentials WHERE id > lo AND id <= lo + 20000));
    lo := lo + 20000;
  END LOOP;
END $$;
--> statement-breakpoint
-- A credential deleted (its rollup row goes by cascade) leaves the counters.
CREATE OR REPLACE FUNCTION credential_risk_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO credential_risk_counts AS k (metric, day, n)
  SELECT m.metric, m.day, -count(*)::int
    FROM gone CROSS JOIN LATERAL credential_risk_metrics(gone.live, gone.orphaned, gone.leaver_holder, gone.bulk_pii,
           gone.no_expiry, gone.reach_bulk, gone.last_activity_at, gone.idle_scope_since, gone.rotation_anchor_at) m
   GROUP BY m.metric, m.day ORDER BY m.metric, m.day
  ON CONFLICT (metric, day) DO UPDATE SET n = k.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER credential_risk_counts_on_delete AFTER DELETE ON credential_risk
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION credential_risk_on_delete();
--> statement-breakpoint
-- Counters for the rollup rows that already exist.
INSERT INTO credential_risk_counts (metric, day, n)
SELECT m.metric, m.day, count(*)::int
  FROM credential_risk r CROSS JOIN LATERAL credential_risk_metrics(r.live, r.orphaned, r.leaver_holder, r.bulk_pii,
         r.no_expiry, r.reach_bulk, r.last_activity_at, r.idle_scope_since, r.rotation_anchor_at) m
 GROUP BY m.metric, m.day;
