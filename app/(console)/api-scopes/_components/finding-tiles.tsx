import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { FindingCounts } from "@/lib/api-scopes/queries";
import { FINDING_IDS, FINDING_LABELS, FINDING_RULES, type FindingId } from "@/lib/api-scopes/rules";

const URGENT: FindingId[] = ["orphaned", "leaver_holder", "bulk_pii"];

/** One tile per finding with its count among live credentials; a tile filters the list (again: clears it). */
export function FindingTiles({
  counts,
  active,
  hrefFor,
}: {
  counts: FindingCounts;
  active?: string;
  hrefFor: (finding: string | undefined) => string;
}) {
  return (
    <ul
      className="grid grid-cols-2 gap-2 border-b border-slate-200 p-3 sm:grid-cols-4 xl:grid-cols-8"
      aria-label="Findings"
    >
      <Tile
        label="Live credentials"
        value={counts.live}
        href={hrefFor(undefined)}
        selected={!active}
        hint="Active, in your view"
      />
      {FINDING_IDS.map((id) => (
        <Tile
          key={id}
          label={FINDING_LABELS[id]}
          value={counts[id]}
          href={hrefFor(active === id ? undefined : id)}
          selected={active === id}
          urgent={URGENT.includes(id) && counts[id] > 0}
          hint={FINDING_RULES[id]}
        />
      ))}
    </ul>
  );
}

function Tile(p: { label: string; value: number; href: string; selected: boolean; urgent?: boolean; hint: string }) {
  return (
    <li className="min-w-0">
      <Link
        href={p.href}
        title={p.hint}
        aria-current={p.selected ? "true" : undefined}
        className={cn(
          "block h-full rounded-md border px-2.5 py-2 transition-colors",
          p.selected
            ? "border-indigo-500 bg-indigo-50 ring-1 ring-indigo-500"
            : "border-slate-200 hover:border-indigo-300 hover:bg-slate-50",
        )}
      >
        <p className="truncate text-[11px] font-medium text-slate-500">{p.label}</p>
        <p className={cn("text-lg font-semibold tabular-nums", p.urgent ? "text-red-700" : "text-slate-900")}>
          {p.value.toLocaleString("en-US")}
        </p>
      </Link>
    </li>
  );
}
