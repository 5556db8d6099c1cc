"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type TrendChartPoint = {
  day: string;
  label: string;
  coverage: number | null;
  gapPct: number | null;
  gap: number;
};

/**
 * Phishing-resistant coverage and the fallback-path gap, both as a share of people, over the snapshot days.
 * Two distinct line styles (solid, dashed) and a legend, so the lines do not depend on colour alone.
 */
export default function PostureTrendChart({ points }: { points: TrendChartPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: -8 }}>
        <CartesianGrid stroke="#e2e8f0" vertical={false} />
        <XAxis
          dataKey="label"
          tick={{ fontSize: 11, fill: "#64748b" }}
          tickLine={false}
          axisLine={{ stroke: "#cbd5e1" }}
          minTickGap={40}
        />
        <YAxis
          tick={{ fontSize: 11, fill: "#64748b" }}
          tickLine={false}
          axisLine={false}
          unit="%"
          domain={[0, 100]}
          width={48}
        />
        <Tooltip
          contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: "#e2e8f0" }}
          formatter={(value, name, item) =>
            name === "Fallback-path gap"
              ? [`${value}% (${(item.payload as TrendChartPoint).gap.toLocaleString("en-US")} people)`, name]
              : [`${value}%`, name]
          }
        />
        <Legend wrapperStyle={{ fontSize: 12 }} iconType="plainline" />
        <Line
          name="Phishing-resistant coverage"
          type="monotone"
          dataKey="coverage"
          stroke="#0f766e"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
          connectNulls
        />
        <Line
          name="Fallback-path gap"
          type="monotone"
          dataKey="gapPct"
          stroke="#b45309"
          strokeWidth={2}
          strokeDasharray="6 3"
          dot={false}
          isAnimationActive={false}
          connectNulls
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
