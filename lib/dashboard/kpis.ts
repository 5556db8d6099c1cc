import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";

/**
 * Organisation-wide risk figures. Aggregates only — nothing here names a person — so executives may read
 * it. Strength figures come from the identity_posture rollup, not from a scan of every factor.
 */
export type Kpis = {
  people: number;
  phishingResistantPct: number;
  phishingResistantPrivilegedPct: number;
  privilegedPeople: number;
  fallbackGap: number;
  openCases: number;
  slaBreaches: number;
  medianRevocationHours: number | null;
  orphanedCredentials: number;
  staleBulkCredentials: number;
  breakGlassActivations30d: number;
  pendingBreakGlass: number;
  reviewCompletionPct: number | null;
  activeCampaigns: number;
};

const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10);

export async function loadKpis(ctx: Ctx): Promise<Kpis> {
  authorize(ctx.actor, "dashboard.view");
  const now = ctx.now.toISOString();
  const [r] = await queryRows<Record<string, number | null>>(ctx.db, sql`
    WITH posture AS (
      SELECT count(*) AS people,
             count(*) FILTER (WHERE phishing_resistant) AS pr,
             count(*) FILTER (WHERE has_privileged) AS priv,
             count(*) FILTER (WHERE has_privileged AND phishing_resistant) AS priv_pr,
             count(*) FILTER (WHERE recovery_strength < primary_strength) AS gap
        FROM identity_posture WHERE active
    ), cases AS (
      SELECT count(*) FILTER (WHERE status <> 'closed') AS open,
             count(*) FILTER (WHERE status <> 'closed' AND sla_due_at < ${now}::timestamptz) AS breached,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - effective_at) / 3600)
               FILTER (WHERE status = 'closed' AND closed_at >= ${now}::timestamptz - interval '30 days') AS median_hours
        FROM leaver_cases
    ), creds AS (
      SELECT count(*) FILTER (WHERE o.id IS NULL OR o.status <> 'active') AS orphaned,
             count(*) FILTER (WHERE (c.last_used_at IS NULL OR c.last_used_at < ${now}::timestamptz - interval '90 days')
                               AND EXISTS (SELECT 1 FROM api_endpoints e
                                            WHERE e.system_id = c.issuer_system_id AND e.bulk AND e.scope = ANY(c.scopes))) AS stale_bulk
        FROM credentials c LEFT JOIN identities o ON o.id = c.owner_id
       WHERE c.status = 'active'
    ), bg AS (
      SELECT count(*) FILTER (WHERE activated_at >= ${now}::timestamptz - interval '30 days') AS activations,
             count(*) FILTER (WHERE status = 'pending') AS pending
        FROM break_glass_requests
    ), reviews AS (
      SELECT count(DISTINCT c.id) AS campaigns, count(i.id) AS items, count(i.decision) AS decided
        FROM review_campaigns c LEFT JOIN review_items i ON i.campaign_id = c.id
       WHERE c.status = 'active'
    )
    SELECT posture.people::int, posture.pr::int, posture.priv::int, posture.priv_pr::int, posture.gap::int,
           cases.open::int AS open_cases, cases.breached::int, cases.median_hours::float8,
           creds.orphaned::int, creds.stale_bulk::int, bg.activations::int, bg.pending::int,
           reviews.campaigns::int, reviews.items::int, reviews.decided::int
      FROM posture, cases, creds, bg, reviews`);
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    people: n("people"),
    phishingResistantPct: pct(n("pr"), n("people")),
    phishingResistantPrivilegedPct: pct(n("priv_pr"), n("priv")),
    privilegedPeople: n("priv"),
    fallbackGap: n("gap"),
    openCases: n("open_cases"),
    slaBreaches: n("breached"),
    medianRevocationHours: r.median_hours === null ? null : Math.round(Number(r.median_hours) * 10) / 10,
    orphanedCredentials: n("orphaned"),
    staleBulkCredentials: n("stale_bulk"),
    breakGlassActivations30d: n("activations"),
    pendingBreakGlass: n("pending"),
    reviewCompletionPct: n("items") ? pct(n("decided"), n("items")) : null,
    activeCampaigns: n("campaigns"),
  };
}
