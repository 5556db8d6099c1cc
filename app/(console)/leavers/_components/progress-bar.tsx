import { cn } from "@/components/ui/cn";

/**
 * Done (verified or waived) / total with failures in red; the numbers are always printed (never colour alone). A
 * waived task is settled — the case closes with it — so it counts toward progress and is named beside it.
 */
export function ProgressBar({
  verified,
  total,
  failed = 0,
  waived = 0,
  className,
  compact = false,
}: {
  verified: number;
  total: number;
  failed?: number;
  waived?: number;
  className?: string;
  compact?: boolean;
}) {
  const pct = (n: number) => (total ? (100 * n) / total : 0);
  return (
    <div className={cn("min-w-24", className)}>
      <div className="mb-0.5 flex justify-between gap-2 text-xs text-slate-600 tabular-nums">
        <span className="whitespace-nowrap" title={waived ? `${verified} verified, ${waived} waived` : undefined}>
          {verified + waived}/{total}
          {compact ? "" : waived ? ` done (${waived} waived)` : " verified"}
        </span>
        {failed ? <span className="font-medium whitespace-nowrap text-red-700">{failed} failed</span> : null}
      </div>
      <div
        className="flex h-1.5 overflow-hidden rounded bg-slate-200"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={verified + waived}
        aria-label="Tasks verified or waived"
      >
        <div className="bg-emerald-600" style={{ width: `${pct(verified)}%` }} />
        <div className="bg-violet-400" style={{ width: `${pct(waived)}%` }} />
        <div className="bg-red-500" style={{ width: `${pct(failed)}%` }} />
      </div>
    </div>
  );
}
