import Link from "next/link";
import { cn } from "./cn";

export function Stat({
  label,
  value,
  hint,
  href,
  tone = "neutral",
}: {
  label: string;
  value: React.ReactNode;
  hint?: React.ReactNode;
  href?: string;
  tone?: "neutral" | "danger" | "warning" | "success";
}) {
  const toneClass = {
    neutral: "text-slate-900",
    danger: "text-red-700",
    warning: "text-amber-700",
    success: "text-emerald-700",
  }[tone];
  const body = (
    <>
      <p className="text-xs font-medium text-slate-500">{label}</p>
      <p className={cn("mt-1 text-2xl font-semibold tabular-nums", toneClass)}>{value}</p>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </>
  );
  const cls = "block rounded-lg border border-slate-200 bg-white p-4 shadow-xs";
  return href ? (
    <Link href={href} className={cn(cls, "transition-colors hover:border-indigo-300 hover:bg-indigo-50/30")}>
      {body}
    </Link>
  ) : (
    <div className={cls}>{body}</div>
  );
}
