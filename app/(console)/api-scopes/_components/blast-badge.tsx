import { cn } from "@/components/ui/cn";
import { type BlastBand, blastBand } from "@/lib/api-scopes/rules";

const STYLE: Record<BlastBand, string> = {
  none: "bg-slate-100 text-slate-600 ring-slate-500/20",
  low: "bg-sky-50 text-sky-800 ring-sky-600/20",
  moderate: "bg-amber-50 text-amber-800 ring-amber-600/25",
  high: "bg-orange-100 text-orange-900 ring-orange-600/30",
  severe: "bg-red-600 text-white ring-red-700",
};

/** The score with its band in words (never colour alone). */
export function BlastBadge({ score, className }: { score: number; className?: string }) {
  const band = blastBand(score);
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap tabular-nums ring-1 ring-inset",
        STYLE[band],
        className,
      )}
      title={`Blast radius ${score} (${band})`}
    >
      {score}
      <span className="font-medium opacity-80">{band}</span>
    </span>
  );
}
