import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { countedBefore, counterTotal, thresholdBefore } from "@/lib/api-scopes/finding-counters";
import { loadPolicy } from "@/lib/api-scopes/policy";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { KPI_METRICS, type KpiMetric } from "./history";

/**
 * Organisation-wide risk figures as they stand now. Aggregates only — nothing here names a person — so
 * executives may read it. Read from counters the database keeps current in the writers' transactions
 * (identity_posture_counts, credential_risk_counts, review_progress) and from small tables, each figure its
 * own short query so a PostgreSQL pool runs them side by side.
 */
export type LiveFigures = Record<KpiMetric, number | null>;

/** One aggregate row holding exactly these figures (an enum-keyed record: a missing or extra one fails). */
async function figures<K extends string>(db: Db, q: ReturnType<typeof sql>, keys: readonly [K, ...K[]]) {
  const [row] = await queryRows(db, q, z.record(z.enum(keys), col.numOrNull));
  return row;
}

export type PostureFigures = Pick<LiveFigures, (typeof POSTURE_METRICS)[number]>;
const POSTURE_METRICS = [
  "people",
  "people_privileged",
  "phishing_resistant",
  "phishing_resistant_privileged",
  "fallback_gap",
  "fallback_gap_privileged",
  "privileged_below_aal2",
] as const;

/**
 * Posture counts over active people, from the maintained counters (identity_posture_counts). No authorization
 * here: callers (dashboard, factor trend) check theirs.
 */
const POSTURE_FIGURES_SQL = sql`
      SELECT coalesce(sum(people), 0)::int AS people,
             coalesce(sum(people) FILTER (WHERE privileged), 0)::int AS people_privileged,
             coalesce(sum(people) FILTER (WHERE phishing_resistant), 0)::int AS phishing_resistant,
             coalesce(sum(people) FILTER (WHERE phishing_resistant AND privileged), 0)::int AS phishing_resistant_privileged,
             coalesce(sum(people) FILTER (WHERE effective_strength < primary_strength), 0)::int AS fallback_gap,
             coalesce(sum(people) FILTER (WHERE effective_strength < primary_strength AND privileged), 0)::int AS fallback_gap_privileged,
             coalesce(sum(people) FILTER (WHERE effective_strength <= 2 AND privileged), 0)::int AS privileged_below_aal2
        FROM identity_posture_counts`;

export async function readPostureFigures(db: Db): Promise<PostureFigures> {
  return figures(db, POSTURE_FIGURES_SQL, POSTURE_METRICS);
}

/** Orphaned and stale bulk-reaching credentials, read from the API-scope counters the inventory tiles use. */
function credentialFiguresSql(now: Date, staleAfterDays: number) {
  const stale = thresholdBefore(now, staleAfterDays);
  return sql`
    SELECT ${counterTotal("orphaned")}::int AS orphaned_credentials,
           ${countedBefore("stale_bulk", stale, sql`cr.last_activity_at`, sql`AND cr.reach_bulk > 0`)}::int AS stale_bulk_credentials`;
}

export async function loadLiveFigures(ctx: Ctx): Promise<LiveFigures> {
  authorize(ctx.actor, "dashboard.view");
  const now = ctx.now.toISOString();
  const policy = await loadPolicy(ctx.db);
  // One statement (one round trip, one backend): every part is a small read of a counter or a short table.
  return figures(
    ctx.db,
    sql`
    SELECT * FROM (${POSTURE_FIGURES_SQL}) posture,
      (SELECT (count(*) FILTER (WHERE status <> 'closed'))::int AS open_cases,
              (count(*) FILTER (WHERE status <> 'closed' AND sla_due_at < ${now}::timestamptz))::int AS sla_breaches,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - effective_at) / 3600)
                FILTER (WHERE status = 'closed' AND closed_at > ${now}::timestamptz - interval '30 days' AND closed_at <= ${now}::timestamptz))::float8
                AS median_revocation_hours
         FROM leaver_cases) cases,
      (${credentialFiguresSql(ctx.now, policy.staleAfterDays)}) creds,
      (SELECT count(*)::int AS break_glass_activations_30d FROM break_glass_requests
        WHERE activated_at > ${now}::timestamptz - interval '30 days' AND activated_at <= ${now}::timestamptz) break_glass,
      (SELECT coalesce(sum(p.items), 0)::int AS review_items, coalesce(sum(p.decided), 0)::int AS review_decided
         FROM review_campaigns c JOIN review_progress p ON p.campaign_id = c.id
        WHERE c.status = 'active') reviews`,
    KPI_METRICS,
  );
}
