-- Counters the organisation-wide heatmap and dashboard read instead of scanning 100k people (db/schema/factors.ts,
-- db/schema/dashboard.ts): identity_posture_counts and identity_posture_system_counts follow every change to the
-- identity_posture rollup (a statement trigger on the rollup itself, so refreshes, cascades and deletes all count),
-- review_progress follows review_items. Active people only. Deltas are summed per key and applied in key order,
-- so two writers never wait on each other's counter rows in opposite orders; a key whose delta is zero is not touched.

-- changes: [{"d": +1|-1, "department_id", "p", "e", "priv", "pr", "systems": [..]}] for active rollup rows.
CREATE OR REPLACE FUNCTION identity_posture_counts_apply(changes jsonb) RETURNS void
LANGUAGE sql AS $$
  WITH c AS (
    SELECT (x->>'d')::int AS d, (x->>'department_id')::int AS department_id, (x->>'p')::smallint AS p,
           (x->>'e')::smallint AS e, (x->>'priv')::boolean AS priv, (x->>'pr')::boolean AS pr, x->'systems' AS systems
      FROM jsonb_array_elements(coalesce(changes, '[]'::jsonb)) AS x
  ), people AS (
    INSERT INTO identity_posture_counts AS k (department_id, primary_strength, effective_strength, privileged, phishing_resistant, people)
    SELECT department_id, p, e, priv, pr, sum(d)::int FROM c
     GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (department_id, primary_strength, effective_strength, privileged, phishing_resistant)
    DO UPDATE SET people = k.people + excluded.people
  )
  INSERT INTO identity_posture_system_counts AS k (system_id, primary_strength, effective_strength, accounts)
  SELECT s.id::int, c.p, c.e, sum(c.d)::int FROM c CROSS JOIN LATERAL jsonb_array_elements_text(c.systems) AS s(id)
   GROUP BY 1, 2, 3 HAVING sum(c.d) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT (system_id, primary_strength, effective_strength) DO UPDATE SET accounts = k.accounts + excluded.accounts
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION identity_posture_count_row(d integer, r identity_posture) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('d', d, 'department_id', coalesce(r.department_id, 0), 'p', r.primary_strength, 'e', r.effective_strength,
                            'priv', r.has_privileged, 'pr', r.phishing_resistant, 'systems', to_jsonb(r.privileged_system_ids))
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION identity_posture_counts_on_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM identity_posture_counts_apply((SELECT jsonb_agg(identity_posture_count_row(1, n)) FROM changed n WHERE n.active));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM identity_posture_counts_apply((SELECT jsonb_agg(identity_posture_count_row(-1, o)) FROM changed_old o WHERE o.active));
  ELSE
    -- Rows whose counted facts did not change (most refreshes) contribute nothing.
    PERFORM identity_posture_counts_apply((
      SELECT jsonb_agg(x.j) FROM (
        SELECT identity_posture_count_row(1, n) AS j FROM changed n JOIN changed_old o USING (identity_id)
         WHERE n.active AND (NOT o.active OR (n.department_id, n.primary_strength, n.effective_strength, n.has_privileged, n.phishing_resistant, n.privileged_system_ids)
                             IS DISTINCT FROM (o.department_id, o.primary_strength, o.effective_strength, o.has_privileged, o.phishing_resistant, o.privileged_system_ids))
        UNION ALL
        SELECT identity_posture_count_row(-1, o) FROM changed n JOIN changed_old o USING (identity_id)
         WHERE o.active AND (NOT n.active OR (n.department_id, n.primary_strength, n.effective_strength, n.has_privileged, n.phishing_resistant, n.privileged_system_ids)
                             IS DISTINCT FROM (o.department_id, o.primary_strength, o.effective_strength, o.has_privileged, o.phishing_resistant, o.privileged_system_ids))
      ) x));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER identity_posture_counts_insert AFTER INSERT ON identity_posture
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_counts_on_change();
--> statement-breakpoint
CREATE TRIGGER identity_posture_counts_update AFTER UPDATE ON identity_posture
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_counts_on_change();
--> statement-breakpoint
CREATE TRIGGER identity_posture_counts_delete AFTER DELETE ON identity_posture
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION identity_posture_counts_on_change();
--> statement-breakpoint
-- review_items: items and decisions per campaign. Deletes only update rows that still exist (a campaign deleted
-- takes its progress row with it, whichever cascade runs first).
CREATE OR REPLACE FUNCTION review_progress_on_items() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE review_progress k SET items = k.items - x.items, decided = k.decided - x.decided
      FROM (SELECT campaign_id, count(*)::int AS items, count(decided_at)::int AS decided FROM changed_old GROUP BY campaign_id) x
     WHERE k.campaign_id = x.campaign_id;
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO review_progress AS k (campaign_id, items, decided)
    SELECT campaign_id, count(*)::int, count(decided_at)::int FROM changed GROUP BY campaign_id ORDER BY campaign_id
    ON CONFLICT (campaign_id) DO UPDATE SET items = k.items + excluded.items, decided = k.decided + excluded.decided;
  ELSE
    INSERT INTO review_progress AS k (campaign_id, items, decided)
    SELECT campaign_id, sum(di)::int, sum(dd)::int FROM (
      SELECT campaign_id, 1 AS di, (decided_at IS NOT NULL)::int AS dd FROM changed
      UNION ALL
      SELECT campaign_id, -1, -(decided_at IS NOT NULL)::int FROM changed_old
    ) z
     GROUP BY campaign_id HAVING sum(di) <> 0 OR sum(dd) <> 0 ORDER BY campaign_id
    ON CONFLICT (campaign_id) DO UPDATE SET items = k.items + excluded.items, decided = k.decided + excluded.decided;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER review_progress_items_insert AFTER INSERT ON review_items
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION review_progress_on_items();
--> statement-breakpoint
CREATE TRIGGER review_progress_items_update AFTER UPDATE ON review_items
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION review_progress_on_items();
--> statement-breakpoint
CREATE TRIGGER review_progress_items_delete AFTER DELETE ON review_items
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION review_progress_on_items();
--> statement-breakpoint
-- Counters for what databases already hold.
INSERT INTO identity_posture_counts (department_id, primary_strength, effective_strength, privileged, phishing_resistant, people)
SELECT coalesce(department_id, 0), primary_strength, effective_strength, has_privileged, phishing_resistant, count(*)::int
  FROM identity_posture WHERE active GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO identity_posture_system_counts (system_id, primary_strength, effective_strength, accounts)
SELECT s.id, p.primary_strength, p.effective_strength, count(*)::int
  FROM identity_posture p CROSS JOIN LATERAL unnest(p.privileged_system_ids) AS s(id) WHERE p.active GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO review_progress (campaign_id, items, decided)
SELECT campaign_id, count(*)::int, count(decided_at)::int FROM review_items GROUP BY campaign_id;
