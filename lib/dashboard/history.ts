import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { affectedRows, type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { textArray } from "@/db/sql";
import { loadPolicy } from "@/lib/api-scopes/policy";

/**
 * Daily history of the dashboard's figures (kpi_snapshots), written for a range of UTC days, each day as at its
 * end (or `now`, for today). The posture.snapshot job writes today; the seed replays 180 days. Both use this
 * one SQL, so history and today's point mean the same thing.
 *
 * Everything is replayed from timestamps the product keeps, as intervals turned into +1/−1 events and a running
 * sum over the days (cost follows the number of rows, not rows × days):
 *  - posture figures come from posture_snapshots (write those first);
 *  - open cases: opened → closed (a case reopened after closing counts again from its reopening);
 *    SLA breaches: due time passed → closed;
 *  - orphaned credentials: live (created → revoked/expired) while the owner is missing or gone (from the
 *    owner's leaver case opening, else their termination date, else the credential's creation);
 *  - stale bulk-reaching credentials: from last use (or creation) + the admin's stale period → revoked/expired.
 *    Only the latest use is kept, so an older idle spell that ended in a later use is not visible;
 *  - break-glass activations in the 30 days up to the day; review items and decisions of campaigns under way.
 */
export const KPI_METRICS = [
  "people",
  "people_privileged",
  "phishing_resistant",
  "phishing_resistant_privileged",
  "fallback_gap",
  "fallback_gap_privileged",
  "privileged_below_aal2",
  "open_cases",
  "sla_breaches",
  "median_revocation_hours",
  "orphaned_credentials",
  "stale_bulk_credentials",
  "break_glass_activations_30d",
  "review_items",
  "review_decided",
] as const;
export type KpiMetric = (typeof KPI_METRICS)[number];

const INTERVAL_METRICS: KpiMetric[] = [
  "open_cases",
  "sla_breaches",
  "orphaned_credentials",
  "stale_bulk_credentials",
  "break_glass_activations_30d",
  "review_items",
  "review_decided",
];

/** Writes (replaces) kpi_snapshots for every day from `from` to `to` (YYYY-MM-DD, UTC). Returns rows written. */
export async function writeKpiHistory(db: Db, opts: { from: string; to: string; now: Date }): Promise<number> {
  const { staleAfterDays } = await loadPolicy(db);
  const now = opts.now.toISOString();
  const days = sql`SELECT g::date AS day, least(g + interval '1 day', ${now}::timestamptz) AS at
                     FROM generate_series(${opts.from}::date::timestamp AT TIME ZONE 'UTC', ${opts.to}::date::timestamp AT TIME ZONE 'UTC', interval '1 day') g`;
  return affectedRows(
    db,
    sql`
    WITH days AS (${days}),
    credential_life AS (
      SELECT c.id, c.created_at AS born, c.last_used_at, c.scopes, c.issuer_system_id,
             CASE WHEN c.status <> 'active' THEN coalesce(least(c.revoked_at, c.expires_at), c.created_at) END AS died,
             -- An owner who is gone today was gone by now at the latest, whatever their termination date says.
             CASE WHEN c.owner_id IS NULL THEN c.created_at
                  WHEN o.status <> 'active' THEN greatest(c.created_at, least(${now}::timestamptz, coalesce(
                    (SELECT min(lc.opened_at) FROM leaver_cases lc WHERE lc.identity_id = o.id),
                    o.termination_date::timestamp AT TIME ZONE 'UTC', c.created_at))) END AS orphaned_from
        FROM credentials c LEFT JOIN identities o ON o.id = c.owner_id
    ),
    bulk_stale AS (
      SELECT coalesce(l.last_used_at, l.born) + ${staleAfterDays} * interval '1 day' AS stale_from, l.died
        FROM credential_life l
       WHERE EXISTS (SELECT 1 FROM api_endpoints e WHERE e.system_id = l.issuer_system_id AND e.bulk AND api_endpoint_reached(e.scope_sets, l.scopes))
    ),
    events(metric, ts, delta) AS (
      SELECT 'open_cases', opened_at, 1 FROM leaver_cases
      UNION ALL SELECT 'open_cases', closed_at, -1 FROM leaver_cases WHERE closed_at IS NOT NULL
      UNION ALL SELECT 'open_cases', reopened_at, 1 FROM leaver_cases WHERE status <> 'closed' AND reopened_at > closed_at
      UNION ALL SELECT 'sla_breaches', sla_due_at, 1 FROM leaver_cases WHERE closed_at IS NULL OR closed_at > sla_due_at OR status <> 'closed'
      UNION ALL SELECT 'sla_breaches', closed_at, -1 FROM leaver_cases WHERE closed_at > sla_due_at AND status = 'closed'
      UNION ALL SELECT 'orphaned_credentials', greatest(born, orphaned_from), 1 FROM credential_life
                 WHERE orphaned_from IS NOT NULL AND (died IS NULL OR died > greatest(born, orphaned_from))
      UNION ALL SELECT 'orphaned_credentials', died, -1 FROM credential_life
                 WHERE orphaned_from IS NOT NULL AND died > greatest(born, orphaned_from)
      UNION ALL SELECT 'stale_bulk_credentials', s.stale_from, 1 FROM bulk_stale s WHERE s.died IS NULL OR s.died > s.stale_from
      UNION ALL SELECT 'stale_bulk_credentials', s.died, -1 FROM bulk_stale s WHERE s.died > s.stale_from
      UNION ALL SELECT 'break_glass_activations_30d', activated_at, 1 FROM break_glass_requests WHERE activated_at IS NOT NULL
      UNION ALL SELECT 'break_glass_activations_30d', activated_at + interval '30 days', -1 FROM break_glass_requests WHERE activated_at IS NOT NULL
      UNION ALL SELECT 'review_items', c.starts_at, count(i.id)::int FROM review_campaigns c JOIN review_items i ON i.campaign_id = c.id
                 WHERE c.status <> 'draft' GROUP BY c.id
      UNION ALL SELECT 'review_items', c.closed_at, -count(i.id)::int FROM review_campaigns c JOIN review_items i ON i.campaign_id = c.id
                 WHERE c.status = 'closed' AND c.closed_at IS NOT NULL GROUP BY c.id
      UNION ALL SELECT 'review_decided', greatest(i.decided_at, c.starts_at), 1 FROM review_campaigns c JOIN review_items i ON i.campaign_id = c.id
                 WHERE c.status <> 'draft' AND i.decided_at IS NOT NULL
      UNION ALL SELECT 'review_decided', c.closed_at, -1 FROM review_campaigns c JOIN review_items i ON i.campaign_id = c.id
                 WHERE c.status = 'closed' AND c.closed_at IS NOT NULL AND i.decided_at IS NOT NULL
    ),
    -- An event counts for every day whose end (or now) it precedes; earlier events fold into the first day.
    bucketed AS (
      SELECT metric, greatest((ts AT TIME ZONE 'UTC')::date, ${opts.from}::date) AS day, sum(delta) AS delta
        FROM events WHERE ts <= ${now}::timestamptz GROUP BY 1, 2
    ),
    interval_series AS (
      SELECT m.metric, d.day, sum(coalesce(b.delta, 0)) OVER (PARTITION BY m.metric ORDER BY d.day)::float8 AS value
        FROM unnest(${textArray(INTERVAL_METRICS)}) AS m(metric)
        CROSS JOIN days d
        LEFT JOIN bucketed b ON b.metric = m.metric AND b.day = d.day
    ),
    median_series AS (
      SELECT 'median_revocation_hours' AS metric, d.day,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM lc.closed_at - lc.effective_at) / 3600)::float8 AS value
        FROM days d JOIN leaver_cases lc ON lc.status = 'closed' AND lc.closed_at <= d.at AND lc.closed_at > d.at - interval '30 days'
       GROUP BY d.day
    ),
    posture_series AS (
      SELECT x.metric, s.day, x.value FROM (
        SELECT ps.day,
               sum(ps.people)::float8 AS people,
               (sum(ps.people) FILTER (WHERE ps.privileged))::float8 AS people_privileged,
               (sum(ps.people) FILTER (WHERE ps.phishing_resistant))::float8 AS phishing_resistant,
               (sum(ps.people) FILTER (WHERE ps.phishing_resistant AND ps.privileged))::float8 AS phishing_resistant_privileged,
               (sum(ps.people) FILTER (WHERE ps.effective_strength < ps.primary_strength))::float8 AS fallback_gap,
               (sum(ps.people) FILTER (WHERE ps.effective_strength < ps.primary_strength AND ps.privileged))::float8 AS fallback_gap_privileged,
               (sum(ps.people) FILTER (WHERE ps.effective_strength <= 2 AND ps.privileged))::float8 AS privileged_below_aal2
          FROM posture_snapshots ps WHERE ps.day BETWEEN ${opts.from}::date AND ${opts.to}::date GROUP BY ps.day
      ) s CROSS JOIN LATERAL (VALUES
        ('people', s.people), ('people_privileged', coalesce(s.people_privileged, 0)),
        ('phishing_resistant', coalesce(s.phishing_resistant, 0)), ('phishing_resistant_privileged', coalesce(s.phishing_resistant_privileged, 0)),
        ('fallback_gap', coalesce(s.fallback_gap, 0)), ('fallback_gap_privileged', coalesce(s.fallback_gap_privileged, 0)),
        ('privileged_below_aal2', coalesce(s.privileged_below_aal2, 0))
      ) AS x(metric, value)
    )
    INSERT INTO kpi_snapshots (day, metric, value)
    SELECT day, metric, value FROM (
      SELECT day, metric, value FROM interval_series
      UNION ALL SELECT day, metric, value FROM median_series
      UNION ALL SELECT day, metric, value FROM posture_series
    ) v
    ORDER BY metric, day
    ON CONFLICT (metric, day) DO UPDATE SET value = excluded.value`,
  );
}

export type Point = { day: string; value: number };

/** Daily values of some metrics from `fromDay` (inclusive, YYYY-MM-DD) on, oldest first. */
export async function readKpiSeries(
  db: Db,
  metrics: readonly KpiMetric[],
  fromDay: string,
): Promise<Record<KpiMetric, Point[]>> {
  const rows = await queryRows(
    db,
    sql`
    SELECT metric, to_char(day, 'YYYY-MM-DD') AS day, value FROM kpi_snapshots
     WHERE metric = ANY(${textArray(metrics)}) AND day >= ${fromDay}::date
     ORDER BY metric, day`,
    z.object({ metric: z.enum(KPI_METRICS), day: col.text, value: col.num }),
  );
  const out = Object.fromEntries(metrics.map((m) => [m, [] as Point[]])) as Record<KpiMetric, Point[]>;
  for (const r of rows) out[r.metric]?.push({ day: r.day, value: r.value });
  return out;
}
