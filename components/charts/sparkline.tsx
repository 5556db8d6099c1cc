"use client";

import { Area, AreaChart, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import type { SparkPoint } from "./types";

/**
 * A tile's small history chart. Loaded on demand (./lazy.tsx) so Recharts never weighs on a page's first
 * load; the tile states the figures in words as well, so the chart is decoration for screen readers.
 */
export default function Sparkline({
  points: compact,
  tone,
  format,
}: {
  points: SparkPoint[];
  tone: "good" | "bad" | "neutral";
  format: "pct" | "count" | "hours";
}) {
  const points = compact.map(([label, value]) => ({ label, value }));
  const color = { good: "#047857", bad: "#b91c1c", neutral: "#4f46e5" }[tone];
  const id = `spark-${tone}`;
  const show = (v: number) => (format === "pct" ? `${v}%` : format === "hours" ? `${v} h` : v.toLocaleString("en-US"));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={points} margin={{ top: 2, right: 0, bottom: 0, left: 0 }}>
        <defs>
          <linearGradient id={id} x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor={color} stopOpacity={0.18} />
            <stop offset="100%" stopColor={color} stopOpacity={0} />
          </linearGradient>
        </defs>
        {/* Some headroom around the data, so a small wobble does not fill the whole height. */}
        <YAxis
          hide
          domain={[
            (min: number) => min - Math.max(1, Math.abs(min) * 0.1),
            (max: number) => max + Math.max(1, Math.abs(max) * 0.1),
          ]}
        />
        <Tooltip
          cursor={{ stroke: "#94a3b8", strokeWidth: 1 }}
          contentStyle={{ fontSize: 11, padding: "2px 6px", borderRadius: 6, borderColor: "#e2e8f0" }}
          labelFormatter={(_, payload) => String(payload?.[0]?.payload?.label ?? "")}
          formatter={(v) => [show(Number(v)), ""]}
          separator=""
        />
        <Area
          type="monotone"
          dataKey="value"
          stroke={color}
          strokeWidth={1.5}
          fill={`url(#${id})`}
          isAnimationActive={false}
          dot={false}
        />
      </AreaChart>
    </ResponsiveContainer>
  );
}
