import { type SQL, sql } from "drizzle-orm";

/**
 * Reading the maintained finding counters (credential_risk_counts, kept by refresh_credential_risk). Static
 * findings are one total row (day = '-infinity'); time-dependent ones ("stale", "rotation overdue") are counted
 * per UTC day of the anchor, so "overdue now" is every whole day before the threshold's day plus that day's
 * rows up to the threshold instant. The inventory tiles and the dashboard both read them through here.
 */
export type Threshold = { at: string; day: string; dayStart: string };

export function thresholdBefore(now: Date, days: number): Threshold {
  const at = new Date(now.getTime() - days * 86_400_000);
  const dayStart = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  return { at: at.toISOString(), day: dayStart.toISOString().slice(0, 10), dayStart: dayStart.toISOString() };
}

export function counterTotal(metric: string): SQL {
  return sql`(SELECT coalesce(sum(n), 0) FROM credential_risk_counts WHERE metric = ${metric} AND day = '-infinity')`;
}

/** Live credentials whose anchor `column` (on credential_risk cr) lies before the threshold. */
export function countedBefore(metric: string, t: Threshold, column: SQL, extra: SQL = sql``): SQL {
  return sql`((SELECT coalesce(sum(n), 0) FROM credential_risk_counts WHERE metric = ${metric} AND day > '-infinity' AND day < ${t.day}::date)
        + (SELECT count(*) FROM credential_risk cr WHERE cr.live AND ${column} >= ${t.dayStart}::timestamptz AND ${column} < ${t.at}::timestamptz ${extra}))`;
}
