import type { KpiMetric, Point } from "./history";
import type { LiveFigures } from "./kpis";

/**
 * The dashboard's figures as tiles: today's value (live, from the rollups), its daily history (kpi_snapshots)
 * with today's value as the last point, and the change over the trend window. Pure: no DB, no React.
 */
const TILE_KEYS = [
  "pr_coverage",
  "pr_coverage_privileged",
  "fallback_gap",
  "privileged_below_aal2",
  "break_glass_30d",
  "open_cases",
  "sla_breaches",
  "median_revocation",
  "review_completion",
  "orphaned_credentials",
  "stale_bulk_credentials",
] as const;
export type TileKey = (typeof TILE_KEYS)[number];
export type Unit = "pct" | "count" | "hours";

export type TileData = {
  key: TileKey;
  value: number | null;
  unit: Unit;
  /** Which way is good: up for coverage, down for risk counts. */
  better: "up" | "down";
  series: Point[];
  /** Value `trendDays` ago (the nearest earlier day with data), for the arrow; null without history. */
  previous: number | null;
  /** Extra figures the tile's hint uses (denominators, related counts). */
  context: Partial<LiveFigures>;
};

type Figures = Partial<Record<KpiMetric, number | null>>;
type Def = {
  unit: Unit;
  better: "up" | "down";
  needs: KpiMetric[];
  value: (f: Figures) => number | null;
  context?: KpiMetric[];
};

const pct = (part: number | null | undefined, whole: number | null | undefined) =>
  part === null || part === undefined || !whole ? null : Math.round((1000 * part) / whole) / 10;
const count = (m: KpiMetric) => (f: Figures) => f[m] ?? null;

const TILE_DEFS: Record<TileKey, Def> = {
  pr_coverage: {
    unit: "pct",
    better: "up",
    needs: ["phishing_resistant", "people"],
    value: (f) => pct(f.phishing_resistant, f.people),
    context: ["people"],
  },
  pr_coverage_privileged: {
    unit: "pct",
    better: "up",
    needs: ["phishing_resistant_privileged", "people_privileged"],
    value: (f) => pct(f.phishing_resistant_privileged, f.people_privileged),
    context: ["people_privileged"],
  },
  fallback_gap: {
    unit: "count",
    better: "down",
    needs: ["fallback_gap"],
    value: count("fallback_gap"),
    context: ["people", "fallback_gap_privileged"],
  },
  privileged_below_aal2: {
    unit: "count",
    better: "down",
    needs: ["privileged_below_aal2"],
    value: count("privileged_below_aal2"),
    context: ["people_privileged"],
  },
  break_glass_30d: {
    unit: "count",
    better: "down",
    needs: ["break_glass_activations_30d"],
    value: count("break_glass_activations_30d"),
  },
  open_cases: {
    unit: "count",
    better: "down",
    needs: ["open_cases"],
    value: count("open_cases"),
    context: ["sla_breaches"],
  },
  sla_breaches: {
    unit: "count",
    better: "down",
    needs: ["sla_breaches"],
    value: count("sla_breaches"),
    context: ["open_cases"],
  },
  median_revocation: {
    unit: "hours",
    better: "down",
    needs: ["median_revocation_hours"],
    value: (f) => (f.median_revocation_hours == null ? null : Math.round(f.median_revocation_hours * 10) / 10),
  },
  review_completion: {
    unit: "pct",
    better: "up",
    needs: ["review_decided", "review_items"],
    value: (f) => pct(f.review_decided, f.review_items),
    context: ["review_items"],
  },
  orphaned_credentials: {
    unit: "count",
    better: "down",
    needs: ["orphaned_credentials"],
    value: count("orphaned_credentials"),
  },
  stale_bulk_credentials: {
    unit: "count",
    better: "down",
    needs: ["stale_bulk_credentials"],
    value: count("stale_bulk_credentials"),
  },
};

export const TILE_METRICS: KpiMetric[] = [...new Set(TILE_KEYS.flatMap((k) => TILE_DEFS[k].needs))];

/** Per-day figures from the stored series (a metric missing on a day leaves that day's tile value empty). */
function byDay(history: Record<KpiMetric, Point[]>, metrics: KpiMetric[]): Map<string, Figures> {
  const days = new Map<string, Figures>();
  for (const m of metrics)
    for (const p of history[m] ?? []) days.set(p.day, { ...(days.get(p.day) ?? {}), [m]: p.value });
  return days;
}

export function buildTiles(
  live: LiveFigures,
  history: Record<KpiMetric, Point[]>,
  today: string,
  trendDays = 30,
): TileData[] {
  const cutoff = new Date(Date.parse(`${today}T00:00:00Z`) - trendDays * 86_400_000).toISOString().slice(0, 10);
  return TILE_KEYS.map((key) => {
    const def = TILE_DEFS[key];
    const series: Point[] = [];
    for (const [day, figures] of [...byDay(history, def.needs).entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (day >= today || !def.needs.every((m) => figures[m] !== undefined)) continue;
      const v = def.value(figures);
      if (v !== null) series.push({ day, value: v });
    }
    const value = def.value(live);
    if (value !== null) series.push({ day: today, value });
    const before = series.filter((p) => p.day <= cutoff);
    return {
      key,
      value,
      unit: def.unit,
      better: def.better,
      series,
      previous: before.length ? before[before.length - 1].value : null,
      context: Object.fromEntries((def.context ?? []).map((m) => [m, live[m]])),
    };
  });
}

/** "up" / "down" / "flat" and whether that is good news, for the arrow and its colour. */
export function trendOf(tile: Pick<TileData, "value" | "previous" | "better">): {
  direction: "up" | "down" | "flat";
  good: boolean | null;
  delta: number | null;
} {
  if (tile.value === null || tile.previous === null) return { direction: "flat", good: null, delta: null };
  const delta = Math.round((tile.value - tile.previous) * 10) / 10;
  if (delta === 0) return { direction: "flat", good: null, delta };
  const direction = delta > 0 ? "up" : "down";
  return { direction, good: direction === tile.better, delta };
}
