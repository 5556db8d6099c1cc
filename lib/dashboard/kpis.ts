import { sql } from "drizzle-orm";
import { type Db, queryRows } from "@/db/client";
import { findingSql } from "@/lib/api-scopes/findings-sql";
import { loadPolicy } from "@/lib/api-scopes/policy";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import type { KpiMetric } from "./history";

/**
 * Organisation-wide risk figures as they stand now. Aggregates only — nothing here names a person — so
 * executives may read it. Read from the rollups (identity_posture, credential_risk) and small tables, each
 * figure its own short query so a PostgreSQL pool runs them side by side.
 */
export type LiveFigures = Record<KpiMetric, number | null>;

type Row = Record<string, number | string | null>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

async function one(db: Db, q: ReturnType<typeof sql>): Promise<Row> {
  return (await queryRows<Row>(db, q))[0] ?? {};
}
const numbers = <K extends string>(row: Row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, num(v)])) as Record<K, number | null>;

export type PostureFigures = Pick<LiveFigures, (typeof POSTURE_METRICS)[number]>;
const POSTURE_METRICS = ["people", "people_privileged", "phishing_resistant", "phishing_resistant_privileged", "fallback_gap", "fallback_gap_privileged", "privileged_below_aal2"] as const;

/** Posture counts over active people. No authorization here: callers (dashboard, factor trend) check theirs. */
export async function readPostureFigures(db: Db): Promise<PostureFigures> {
  return numbers(await one(db, sql`
      SELECT count(*)::int AS people,
             (count(*) FILTER (WHERE has_privileged))::int AS people_privileged,
             (count(*) FILTER (WHERE phishing_resistant))::int AS phishing_resistant,
             (count(*) FILTER (WHERE phishing_resistant AND has_privileged))::int AS phishing_resistant_privileged,
             (count(*) FILTER (WHERE recovery_strength < primary_strength))::int AS fallback_gap,
             (count(*) FILTER (WHERE recovery_strength < primary_strength AND has_privileged))::int AS fallback_gap_privileged,
             (count(*) FILTER (WHERE effective_strength <= 2 AND has_privileged))::int AS privileged_below_aal2
        FROM identity_posture WHERE active`));
}

export async function loadLiveFigures(ctx: Ctx): Promise<LiveFigures> {
  authorize(ctx.actor, "dashboard.view");
  const now = ctx.now.toISOString();
  const policy = await loadPolicy(ctx.db);
  const [posture, cases, creds, breakGlass, reviews] = await Promise.all([
    readPostureFigures(ctx.db),
    one(ctx.db, sql`
      SELECT (count(*) FILTER (WHERE status <> 'closed'))::int AS open_cases,
             (count(*) FILTER (WHERE status <> 'closed' AND sla_due_at < ${now}::timestamptz))::int AS sla_breaches,
             (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - effective_at) / 3600)
               FILTER (WHERE status = 'closed' AND closed_at > ${now}::timestamptz - interval '30 days' AND closed_at <= ${now}::timestamptz))::float8
               AS median_revocation_hours
        FROM leaver_cases`),
    one(ctx.db, sql`
      SELECT (count(*) FILTER (WHERE ${findingSql("orphaned", policy, ctx.now)}))::int AS orphaned_credentials,
             (count(*) FILTER (WHERE ${findingSql("stale_bulk", policy, ctx.now)}))::int AS stale_bulk_credentials
        FROM credential_risk cr WHERE cr.live`),
    one(ctx.db, sql`
      SELECT count(*)::int AS break_glass_activations_30d FROM break_glass_requests
       WHERE activated_at > ${now}::timestamptz - interval '30 days' AND activated_at <= ${now}::timestamptz`),
    one(ctx.db, sql`
      SELECT count(i.id)::int AS review_items, count(i.decided_at)::int AS review_decided
        FROM review_campaigns c JOIN review_items i ON i.campaign_id = c.id
       WHERE c.status = 'active'`),
  ]);
  return { ...posture, ...numbers({ ...cases, ...creds, ...breakGlass, ...reviews }) } as LiveFigures;
}
