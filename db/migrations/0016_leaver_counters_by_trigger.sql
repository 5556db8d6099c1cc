-- Leaver case counters and queue rank, kept by the database like the other rollups: any writer of remediation
-- tasks (the engine, a review, the seed, a hand-written UPDATE) keeps the queue right, in its own transaction.

-- The queue key (lib/leavers/rules.ts queueRank; lib/leavers/rules.test.ts holds the two equal): tiers keep
-- drift-reopened cases on top and finished cases at the bottom; within a tier, the SLA due time moved earlier by
-- 240 min per outstanding privileged item and 180 per bulk-data credential (three of each at most).
CREATE OR REPLACE FUNCTION leaver_queue_rank(status leaver_case_status, sla_due_at timestamptz, outstanding int, priv int, bulk int)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
  SELECT (CASE WHEN status = 'closed' THEN 3 WHEN status = 'reopened' THEN 0 WHEN outstanding > 0 THEN 1 ELSE 2 END)::float8 * 1e9
       + extract(epoch FROM sla_due_at)::float8 / 60
       - least(priv, 3) * 240 - least(bulk, 3) * 180
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION leaver_cases_set_rank() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.queue_rank := leaver_queue_rank(NEW.status, NEW.sla_due_at, NEW.tasks_total - NEW.tasks_verified - NEW.tasks_waived,
                                      NEW.privileged_outstanding, NEW.bulk_outstanding);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER leaver_cases_set_rank BEFORE INSERT OR UPDATE ON leaver_cases
  FOR EACH ROW EXECUTE FUNCTION leaver_cases_set_rank();
--> statement-breakpoint
-- Recounts the cases' tasks; a case whose figures did not change is not rewritten (no row lock taken for nothing).
-- An open case with any task past pending becomes in progress.
CREATE OR REPLACE FUNCTION refresh_leaver_case_counters(ids int[]) RETURNS void LANGUAGE sql AS $$
  UPDATE leaver_cases c
     SET tasks_total = t.total, tasks_verified = t.verified, tasks_failed = t.failed, tasks_waived = t.waived,
         privileged_outstanding = t.priv, bulk_outstanding = t.bulk,
         status = CASE WHEN c.status = 'open' AND t.progressed > 0 THEN 'in_progress'::leaver_case_status ELSE c.status END
    FROM (
      SELECT k.id AS case_id,
             count(r.id)::int AS total,
             count(r.id) FILTER (WHERE r.state = 'verified')::int AS verified,
             count(r.id) FILTER (WHERE r.state = 'failed')::int AS failed,
             count(r.id) FILTER (WHERE r.state = 'waived')::int AS waived,
             count(r.id) FILTER (WHERE r.privileged AND r.state NOT IN ('verified', 'waived'))::int AS priv,
             count(r.id) FILTER (WHERE r.bulk_data AND r.state NOT IN ('verified', 'waived'))::int AS bulk,
             count(r.id) FILTER (WHERE r.state <> 'pending')::int AS progressed
        FROM (SELECT DISTINCT unnest(ids) AS id) k
        LEFT JOIN remediation_tasks r ON r.case_id = k.id
       GROUP BY k.id
    ) t
   WHERE c.id = t.case_id
     AND ((c.tasks_total, c.tasks_verified, c.tasks_failed, c.tasks_waived, c.privileged_outstanding, c.bulk_outstanding)
            IS DISTINCT FROM (t.total, t.verified, t.failed, t.waived, t.priv, t.bulk)
          OR (c.status = 'open' AND t.progressed > 0))
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION remediation_tasks_case_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_leaver_case_counters(ARRAY(SELECT DISTINCT case_id FROM changed WHERE case_id IS NOT NULL));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM refresh_leaver_case_counters(ARRAY(SELECT DISTINCT case_id FROM changed_old WHERE case_id IS NOT NULL));
  ELSE
    -- Leases, attempts and evidence change often and move no counter: only state and weight changes recount.
    PERFORM refresh_leaver_case_counters(ARRAY(
      SELECT x.case_id FROM changed n JOIN changed_old o ON o.id = n.id
       CROSS JOIN LATERAL (VALUES (n.case_id), (o.case_id)) x(case_id)
       WHERE x.case_id IS NOT NULL
         AND (n.state, n.privileged, n.bulk_data, n.case_id) IS DISTINCT FROM (o.state, o.privileged, o.bulk_data, o.case_id)));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER remediation_tasks_case_counters_insert AFTER INSERT ON remediation_tasks
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION remediation_tasks_case_counters();
--> statement-breakpoint
CREATE TRIGGER remediation_tasks_case_counters_update AFTER UPDATE ON remediation_tasks
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION remediation_tasks_case_counters();
--> statement-breakpoint
CREATE TRIGGER remediation_tasks_case_counters_delete AFTER DELETE ON remediation_tasks
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION remediation_tasks_case_counters();
--> statement-breakpoint
-- Existing cases: waived counts were not kept before; recount them all once (the rank trigger re-ranks them).
SELECT refresh_leaver_case_counters(ARRAY(SELECT id FROM leaver_cases));
--> statement-breakpoint
UPDATE leaver_cases SET queue_rank = queue_rank;
