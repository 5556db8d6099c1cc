import { STRENGTH_LABELS, type Strength } from "@/lib/factors/strength";
import { cn } from "./cn";

const BG: Record<Strength, string> = {
  0: "bg-strength-0",
  1: "bg-strength-1",
  2: "bg-strength-2",
  3: "bg-strength-3",
  4: "bg-strength-4",
  5: "bg-strength-5",
};

/** Strength is shown as colour and number and words, never colour alone. */
export function StrengthBadge({ strength, compact = false }: { strength: number | null; compact?: boolean }) {
  if (strength === null) return <span className="text-xs text-slate-400">none</span>;
  const s = Math.max(0, Math.min(5, strength)) as Strength;
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap" title={`Strength ${s}: ${STRENGTH_LABELS[s]}`}>
      <span
        className={cn("inline-flex size-5 items-center justify-center rounded text-[11px] font-bold text-white", BG[s])}
      >
        {s}
      </span>
      {compact ? null : <span className="text-xs text-slate-700">{STRENGTH_LABELS[s]}</span>}
    </span>
  );
}
