import { LazyPostureTrendChart } from "@/components/charts/lazy";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { TrendPoint } from "@/lib/factors/trend";
import { formatDate } from "@/lib/time";

/** Phishing-resistant coverage and the fallback-path gap over the daily snapshots. */
export function TrendCard({
  points,
  tz,
  privilegedOnly,
  teamScoped,
}: {
  points: TrendPoint[];
  tz: string;
  privilegedOnly: boolean;
  teamScoped: boolean;
}) {
  const first = points[0];
  const last = points[points.length - 1];
  const who = privilegedOnly ? "people holding privileged grants" : "active people";
  return (
    <Card className="mt-5">
      <CardHeader
        title="Trend"
        description={`Daily snapshots of ${who}${teamScoped ? ", organisation-wide (snapshots are kept per department, not per team)" : ""}. Coverage should rise and the gap should close.`}
      />
      {points.length < 2 ? (
        <EmptyState title="Not enough history yet">
          The snapshot job writes one point a day; the line appears from the second day.
        </EmptyState>
      ) : (
        <div className="px-2 pt-3 pb-1">
          <p className="sr-only" data-testid="trend-summary">
            From {formatDate(first.day, tz)} to {formatDate(last.day, tz)}, phishing-resistant coverage went from{" "}
            {first.coverage}% to {last.coverage}% and the fallback-path gap from {first.gapPct}% to {last.gapPct}%.
          </p>
          <div data-testid="trend-chart" className="h-[260px]">
            <LazyPostureTrendChart
              points={points.map((p) => ({
                day: p.day,
                label: formatDate(p.day, tz),
                coverage: p.coverage,
                gapPct: p.gapPct,
                gap: p.gap,
              }))}
            />
          </div>
          <p className="px-3 pb-2 text-[11px] text-slate-500">
            Today: coverage {last.coverage ?? "–"}% · fallback-path gap {last.gap.toLocaleString("en-US")} people (
            {last.gapPct ?? "–"}%) · {first && `since ${formatDate(first.day, tz)}`}
          </p>
        </div>
      )}
    </Card>
  );
}
