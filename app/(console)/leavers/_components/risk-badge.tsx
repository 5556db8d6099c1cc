import { cn } from "@/components/ui/cn";
import { riskLevel } from "@/lib/leavers/rules";

const TONE = {
  critical: "bg-red-600 text-white",
  high: "bg-orange-100 text-orange-900 ring-1 ring-inset ring-orange-600/30",
  medium: "bg-amber-50 text-amber-900 ring-1 ring-inset ring-amber-600/25",
  low: "bg-slate-100 text-slate-700 ring-1 ring-inset ring-slate-500/20",
} as const;

/** Risk 0–100 as number and word; 100 means drift reopened the case. `why` says what it is made of. */
export function RiskBadge({ score, reopened = false, why }: { score: number; reopened?: boolean; why?: string }) {
  const level = riskLevel(score);
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs font-semibold tabular-nums whitespace-nowrap",
        TONE[level],
      )}
      title={`Risk ${score} of 100 (${level})${why ? `: ${why}` : ""}`}
    >
      {score}
      <span className="font-normal">{reopened ? "drift" : level}</span>
    </span>
  );
}
