import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { humanize } from "@/components/ui/status";
import { StrengthBadge } from "@/components/ui/strength-badge";
import type { SystemRow } from "@/lib/factors/heatmap";
import { sumCounts } from "@/lib/factors/tree";
import { pctText, STRENGTHS } from "./heat";
import { HeatCell } from "./heat-cell";

const CRITICALITY_TONE = { critical: "danger", high: "warning", medium: "neutral", low: "neutral" } as const;

/** Privileged accounts on each system by the strength of the person holding them, most critical systems first. */
export function SystemTable({
  rows,
  hrefFor,
}: {
  rows: SystemRow[];
  hrefFor: ((systemId: number, strength: number) => string) | null;
}) {
  if (!rows.length)
    return (
      <EmptyState title="No privileged accounts in view">
        Nobody in scope holds a live privileged grant on an active account.
      </EmptyState>
    );
  return (
    <div className="overflow-x-auto">
      <table
        className="w-full border-separate border-spacing-0 text-sm"
        aria-label="Privileged accounts by system and holder strength"
      >
        <thead className="text-xs text-slate-500">
          <tr>
            <th scope="col" className="border-b border-slate-200 px-4 py-2 text-left font-medium">
              System
            </th>
            {STRENGTHS.map((s) => (
              <th key={s} scope="col" className="w-[10%] border-b border-slate-200 px-1 py-2 text-center font-medium">
                <StrengthBadge strength={s} compact />
                <span className="sr-only"> strength {s}</span>
              </th>
            ))}
            <th scope="col" className="border-b border-slate-200 px-3 py-2 text-right font-medium">
              Accounts
            </th>
            <th
              scope="col"
              className="border-b border-slate-200 px-3 py-2 text-right font-medium"
              title="Held by people below AAL2 (strength 0–2)"
            >
              Below AAL2
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const weak = sumCounts(r.counts.slice(0, 3));
            return (
              <tr key={r.systemId} data-testid="system-row">
                <th scope="row" className="border-b border-slate-100 px-4 py-1.5 text-left font-medium text-slate-800">
                  <span className="mr-2">{r.name}</span>
                  <Badge tone={CRITICALITY_TONE[r.criticality as keyof typeof CRITICALITY_TONE] ?? "neutral"}>
                    {humanize(r.criticality)}
                  </Badge>
                  <span className="ml-2 text-xs font-normal text-slate-500">{humanize(r.category)}</span>
                </th>
                {STRENGTHS.map((s) => (
                  <HeatCell
                    key={s}
                    count={r.counts[s]}
                    total={r.accounts}
                    href={hrefFor ? hrefFor(r.systemId, s) : null}
                    label={`${r.name}, strength ${s}`}
                  />
                ))}
                <td className="border-b border-slate-100 px-3 py-1.5 text-right font-medium tabular-nums">
                  {r.accounts.toLocaleString("en-US")}
                </td>
                <td className="border-b border-slate-100 px-3 py-1.5 text-right tabular-nums">
                  <span className={weak ? "font-medium text-red-700" : "text-slate-500"}>
                    {weak.toLocaleString("en-US")}
                  </span>{" "}
                  <span className="text-[11px] text-slate-400">{pctText(weak, r.accounts)}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
