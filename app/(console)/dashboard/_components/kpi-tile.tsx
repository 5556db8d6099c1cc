import { ArrowDownRight, ArrowRight, ArrowUpRight } from "lucide-react";
import Link from "next/link";
import { LazySparkline } from "@/components/charts/lazy";
import type { SparkPoint } from "@/components/charts/types";
import { cn } from "@/components/ui/cn";
import { type TileData, trendOf, type Unit } from "@/lib/dashboard/tiles";

function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return "—";
  if (unit === "pct") return `${value.toLocaleString("en-US", { maximumFractionDigits: 1 })}%`;
  if (unit === "hours") return `${value.toLocaleString("en-US", { maximumFractionDigits: 1 })} h`;
  return value.toLocaleString("en-US");
}

function formatDelta(delta: number, unit: Unit): string {
  const abs = Math.abs(delta).toLocaleString("en-US", { maximumFractionDigits: 1 });
  return unit === "pct" ? `${abs} pts` : unit === "hours" ? `${abs} h` : abs;
}

/**
 * One figure: today's value, the change over 30 days as an arrow (its colour says good or bad, its words say
 * which way), a small history chart, and a link to the page that explains it when the viewer may open it.
 */
export function KpiTile({
  tile,
  label,
  hint,
  href,
  points,
}: {
  tile: TileData;
  label: string;
  hint: React.ReactNode;
  href?: string;
  points: SparkPoint[];
}) {
  const t = trendOf(tile);
  const Arrow = t.direction === "up" ? ArrowUpRight : t.direction === "down" ? ArrowDownRight : ArrowRight;
  const tone = t.good === null ? "neutral" : t.good ? "good" : "bad";
  const trendText =
    t.delta === null
      ? "no figure 30 days back"
      : t.delta === 0
        ? "unchanged in 30 days"
        : `${t.direction} ${formatDelta(t.delta, tile.unit)} in 30 days`;
  const body = (
    <>
      <p className="text-xs font-medium text-slate-500">{label}</p>
      <div className="mt-1 flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <p className="text-2xl font-semibold text-slate-900 tabular-nums" data-testid="kpi-value">
          {formatValue(tile.value, tile.unit)}
        </p>
        <span
          className={cn(
            "inline-flex items-center gap-0.5 rounded px-1 py-0.5 text-[11px] font-medium whitespace-nowrap",
            tone === "good" && "bg-emerald-50 text-emerald-800",
            tone === "bad" && "bg-red-50 text-red-800",
            tone === "neutral" && "bg-slate-100 text-slate-600",
          )}
          data-testid="trend"
        >
          <Arrow className="size-3.5" aria-hidden />
          {trendText}
        </span>
      </div>
      <p className="mt-1 min-h-8 text-xs text-slate-500">{hint}</p>
      <div className="mt-auto h-10 pt-1" aria-hidden>
        {points.length > 1 ? (
          <LazySparkline points={points} tone={tone} format={tile.unit} />
        ) : (
          <p className="pt-3 text-[11px] text-slate-400">No history yet</p>
        )}
      </div>
    </>
  );
  const cls = "flex flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-xs";
  return href ? (
    <Link
      href={href}
      data-testid={`tile-${tile.key}`}
      className={cn(
        cls,
        "transition-colors hover:border-indigo-300 hover:bg-indigo-50/30 focus-visible:border-indigo-400",
      )}
    >
      {body}
    </Link>
  ) : (
    <div data-testid={`tile-${tile.key}`} className={cls}>
      {body}
    </div>
  );
}
