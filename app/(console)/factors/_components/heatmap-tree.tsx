"use client";

import { ChevronDown, ChevronRight } from "lucide-react";
import { useMemo, useState } from "react";
import { cn } from "@/components/ui/cn";
import { StrengthBadge } from "@/components/ui/strength-badge";
import { pctText, STRENGTH_SHORT, STRENGTHS } from "./heat";
import { HeatCell } from "./heat-cell";

/** One department row as the server prepared it: aggregates only, links present only for roles that may drill in. */
export type HeatRow = {
  key: string;
  parentKey: string | null;
  name: string;
  depth: number;
  hasChildren: boolean;
  counts: number[];
  total: number;
  gap: number;
  /** Per strength, the people list of the cell (null when the viewer may not open it). */
  hrefs: (string | null)[] | null;
};

/**
 * Departments × strength as an expandable tree: a collapsed row holds its whole subtree. Top-level rows start
 * open; "Expand all" opens every level (teams at the large scale).
 */
export function HeatmapTree({
  rows,
  total,
  measureLabel,
}: {
  rows: HeatRow[];
  total: Omit<HeatRow, "key" | "parentKey" | "name" | "depth" | "hasChildren">;
  measureLabel: string;
}) {
  const [open, setOpen] = useState<Set<string>>(
    () => new Set(rows.filter((r) => r.depth === 0 && r.hasChildren).map((r) => r.key)),
  );
  const parents = useMemo(() => new Map(rows.map((r) => [r.key, r.parentKey])), [rows]);
  const visible = rows.filter((r) => {
    for (let p = r.parentKey; p !== null; p = parents.get(p) ?? null) if (!open.has(p)) return false;
    return true;
  });
  const toggle = (key: string) =>
    setOpen((s) => (s.has(key) ? new Set([...s].filter((k) => k !== key)) : new Set([...s, key])));
  const expandable = rows.filter((r) => r.hasChildren).map((r) => r.key);

  return (
    <div>
      <div className="overflow-x-auto">
        <table
          className="w-full border-separate border-spacing-0 text-sm"
          aria-label={`People by department and ${measureLabel}`}
        >
          <thead className="text-xs text-slate-500">
            <tr>
              <th scope="col" className="border-b border-slate-200 px-4 py-2 text-left align-bottom font-medium">
                <div className="flex items-center gap-3">
                  <span>Department</span>
                  {expandable.length ? (
                    <span className="flex gap-1 text-[11px] font-normal whitespace-nowrap">
                      <button
                        type="button"
                        className="rounded px-1.5 py-0.5 text-indigo-700 hover:bg-indigo-50"
                        onClick={() => setOpen(new Set(expandable))}
                      >
                        Expand all
                      </button>
                      <button
                        type="button"
                        className="rounded px-1.5 py-0.5 text-indigo-700 hover:bg-indigo-50"
                        onClick={() => setOpen(new Set())}
                      >
                        Collapse all
                      </button>
                    </span>
                  ) : null}
                </div>
              </th>
              {STRENGTHS.map((s) => (
                <th
                  key={s}
                  scope="col"
                  className="w-[11%] border-b border-slate-200 px-1 py-2 text-center align-bottom font-medium"
                >
                  <StrengthBadge strength={s} compact />
                  <span className="mt-0.5 block text-[10px] leading-3 font-normal text-slate-500">
                    {STRENGTH_SHORT[s]}
                  </span>
                  <span className="sr-only"> (strength {s})</span>
                </th>
              ))}
              <th scope="col" className="border-b border-slate-200 px-3 py-2 text-right align-bottom font-medium">
                People
              </th>
              <th
                scope="col"
                className="border-b border-slate-200 px-3 py-2 text-right align-bottom font-medium whitespace-nowrap"
                title="Recovery path weaker than the best sign-in factor"
              >
                Fallback gap
              </th>
            </tr>
          </thead>
          <tbody>
            {visible.map((r) => (
              <tr key={r.key} className="group" data-testid="heat-row" data-department={r.name}>
                <th
                  scope="row"
                  className="border-b border-slate-100 py-1.5 pr-3 text-left font-medium text-slate-800"
                  style={{ paddingLeft: `${1 + r.depth * 1.25}rem` }}
                >
                  {r.hasChildren ? (
                    <button
                      type="button"
                      onClick={() => toggle(r.key)}
                      aria-expanded={open.has(r.key)}
                      className="-ml-1 inline-flex items-center gap-1 rounded px-1 hover:bg-slate-100"
                    >
                      {open.has(r.key) ? (
                        <ChevronDown className="size-3.5 text-slate-500" aria-hidden />
                      ) : (
                        <ChevronRight className="size-3.5 text-slate-500" aria-hidden />
                      )}
                      {r.name}
                    </button>
                  ) : (
                    <span className={cn(r.depth > 0 && "font-normal text-slate-700")}>{r.name}</span>
                  )}
                </th>
                {STRENGTHS.map((s) => (
                  <HeatCell
                    key={s}
                    count={r.counts[s]}
                    total={r.total}
                    href={r.hrefs?.[s] ?? null}
                    label={`${r.name}, strength ${s}`}
                  />
                ))}
                <td className="border-b border-slate-100 px-3 py-1.5 text-right font-medium tabular-nums">
                  {r.total.toLocaleString("en-US")}
                </td>
                <td className="border-b border-slate-100 px-3 py-1.5 text-right tabular-nums text-slate-700">
                  {r.gap.toLocaleString("en-US")}{" "}
                  <span className="text-[11px] text-slate-400">{pctText(r.gap, r.total)}</span>
                </td>
              </tr>
            ))}
            <tr className="bg-slate-50 font-semibold">
              <th scope="row" className="px-4 py-2 text-left">
                All in view
              </th>
              {STRENGTHS.map((s) => (
                <HeatCell
                  key={s}
                  count={total.counts[s]}
                  total={total.total}
                  href={total.hrefs?.[s] ?? null}
                  label={`Everyone, strength ${s}`}
                />
              ))}
              <td className="px-3 py-2 text-right tabular-nums">{total.total.toLocaleString("en-US")}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                {total.gap.toLocaleString("en-US")}{" "}
                <span className="text-[11px] font-normal text-slate-500">{pctText(total.gap, total.total)}</span>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}
