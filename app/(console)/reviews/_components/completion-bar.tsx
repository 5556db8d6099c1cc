import { cn } from "@/components/ui/cn";

/** Decided out of assigned, with the numbers printed (never colour alone). */
export function CompletionBar({
  decided,
  items,
  className,
  label = "Decided",
}: {
  decided: number;
  items: number;
  className?: string;
  label?: string;
}) {
  const pct = items ? Math.round((100 * decided) / items) : 0;
  return (
    <div className={cn("min-w-32", className)}>
      <div className="mb-0.5 flex justify-between gap-2 text-xs text-slate-600 tabular-nums">
        <span className="whitespace-nowrap">
          {decided.toLocaleString("en-US")}/{items.toLocaleString("en-US")} decided
        </span>
        <span>{pct}%</span>
      </div>
      <div
        className="h-1.5 rounded bg-slate-200"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-label={label}
      >
        <div className="h-1.5 rounded bg-indigo-600" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
