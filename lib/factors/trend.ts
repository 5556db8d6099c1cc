import "server-only";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { type KpiMetric, readKpiSeries } from "@/lib/dashboard/history";
import { type PostureFigures, readPostureFigures } from "@/lib/dashboard/kpis";

/**
 * Phishing-resistant coverage and the fallback-path gap per day (daily snapshots, organisation-wide), today's
 * point from the live rollup. Aggregates only.
 */
export type TrendPoint = { day: string; coverage: number | null; gap: number; gapPct: number | null; people: number };

export async function postureTrend(ctx: Ctx, opts: { privilegedOnly: boolean; days?: number }): Promise<TrendPoint[]> {
  authorize(ctx.actor, "factors.aggregate");
  type M = keyof PostureFigures;
  const m = (all: M, privileged: M) => (opts.privilegedOnly ? privileged : all);
  const metrics = {
    people: m("people", "people_privileged"),
    pr: m("phishing_resistant", "phishing_resistant_privileged"),
    gap: m("fallback_gap", "fallback_gap_privileged"),
  };
  const today = ctx.now.toISOString().slice(0, 10);
  const from = new Date(ctx.now.getTime() - ((opts.days ?? 180) - 1) * 86_400_000).toISOString().slice(0, 10);
  const [series, live] = await Promise.all([
    readKpiSeries(ctx.db, Object.values(metrics), from),
    readPostureFigures(ctx.db),
  ]);
  const days = new Map<string, { people?: number; pr?: number; gap?: number }>();
  for (const [key, metric] of Object.entries(metrics) as [keyof typeof metrics, KpiMetric][]) {
    for (const p of series[metric]) if (p.day < today) days.set(p.day, { ...(days.get(p.day) ?? {}), [key]: p.value });
  }
  days.set(today, { people: live[metrics.people] ?? 0, pr: live[metrics.pr] ?? 0, gap: live[metrics.gap] ?? 0 });
  const pct = (part: number, whole: number) => (whole ? Math.round((1000 * part) / whole) / 10 : null);
  return [...days.entries()]
    .filter(([, v]) => v.people !== undefined && v.pr !== undefined && v.gap !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, v]) => ({
      day,
      people: v.people!,
      coverage: pct(v.pr!, v.people!),
      gap: v.gap!,
      gapPct: pct(v.gap!, v.people!),
    }));
}
