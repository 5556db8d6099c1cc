"use client";

import dynamic from "next/dynamic";

/**
 * Charts load after the page, in their own chunk: Recharts is most of a chart's weight and a dashboard's
 * first load must stay small. The placeholder keeps the space so nothing moves when a chart arrives.
 */
function ChartSkeleton({ height }: { height: number }) {
  return <div aria-hidden className="w-full animate-pulse rounded bg-slate-100/80" style={{ height }} />;
}

export const LazySparkline = dynamic(() => import("./sparkline"), {
  ssr: false,
  loading: () => <ChartSkeleton height={40} />,
});
export const LazyPostureTrendChart = dynamic(() => import("./posture-trend-chart"), {
  ssr: false,
  loading: () => <ChartSkeleton height={260} />,
});
