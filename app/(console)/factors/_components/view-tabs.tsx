import Link from "next/link";
import { cn } from "@/components/ui/cn";

export type FactorsView = "departments" | "systems" | "what-if";

const TABS: { view: FactorsView; label: string }[] = [
  { view: "departments", label: "By department" },
  { view: "systems", label: "By privileged system" },
  { view: "what-if", label: "Channel outage what-if" },
];

/** The three views of the factor-strength page, as tabs under the header. */
export function ViewTabs({ current, hrefFor }: { current: FactorsView; hrefFor: (view: FactorsView) => string }) {
  return (
    <nav aria-label="Factor strength views" className="mb-4 flex gap-1 border-b border-slate-200">
      {TABS.map((t) => (
        <Link
          key={t.view}
          href={hrefFor(t.view)}
          aria-current={t.view === current ? "page" : undefined}
          className={cn(
            "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
            t.view === current
              ? "border-indigo-600 text-indigo-700"
              : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
