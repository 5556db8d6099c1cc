-- review_progress.decided counts final decisions only: "don't know" hands the item on (to the next stage, or to the
-- close's no-response policy), so it is still open everywhere else (inbox, campaign page, close) and must be here too.
-- Compared as text: on a fresh database the enum value is added earlier in this same migration transaction, and
-- PostgreSQL refuses an uncommitted enum value in a function body.
CREATE OR REPLACE FUNCTION review_item_final(decision review_decision) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT (decision IS NOT NULL AND decision::text <> 'dont_know')::int $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION review_progress_on_items() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE review_progress k SET items = k.items - x.items, decided = k.decided - x.decided
      FROM (SELECT campaign_id, count(*)::int AS items, sum(review_item_final(decision))::int AS decided
              FROM changed_old GROUP BY campaign_id) x
     WHERE k.campaign_id = x.campaign_id;
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO review_progress AS k (campaign_id, items, decided)
    SELECT campaign_id, count(*)::int, sum(review_item_final(decision))::int FROM changed GROUP BY campaign_id ORDER BY campaign_id
    ON CONFLICT (campaign_id) DO UPDATE SET items = k.items + excluded.items, decided = k.decided + excluded.decided;
  ELSE
    INSERT INTO review_progress AS k (campaign_id, items, decided)
    SELECT campaign_id, sum(di)::int, sum(dd)::int FROM (
      SELECT campaign_id, 1 AS di, review_item_final(decision) AS dd FROM changed
      UNION ALL
      SELECT campaign_id, -1, -review_item_final(decision) FROM changed_old
    ) z
     GROUP BY campaign_id HAVING sum(di) <> 0 OR sum(dd) <> 0 ORDER BY campaign_id
    ON CONFLICT (campaign_id) DO UPDATE SET items = k.items + excluded.items, decided = k.decided + excluded.decided;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Counters for what databases already hold.
UPDATE review_progress k SET decided = x.decided
  FROM (SELECT campaign_id, coalesce(sum(review_item_final(decision)), 0)::int AS decided FROM review_items GROUP BY campaign_id) x
 WHERE k.campaign_id = x.campaign_id AND k.decided <> x.decided;
