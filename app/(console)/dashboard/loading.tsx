import { slotKeys } from "@/components/ui/skeleton";

// The dashboard's sections: four, four and two cards.
const SECTIONS = [4, 4, 2].map((count, s) => ({ key: `section-${s}`, cards: slotKeys(`section-${s}-card`, count) }));

/** Skeleton while the figures load: the same frame as the dashboard, so nothing jumps when it arrives. */
export default function DashboardLoading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the risk dashboard" className="animate-pulse">
      <div className="mb-2 h-7 w-48 rounded bg-slate-200" />
      <div className="mb-6 h-4 w-96 rounded bg-slate-100" />
      {SECTIONS.map((section) => (
        <div key={section.key} className="mb-6">
          <div className="mb-2 h-3 w-40 rounded bg-slate-200" />
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
            {section.cards.map((key) => (
              <div key={key} className="h-40 rounded-lg border border-slate-200 bg-white" />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
