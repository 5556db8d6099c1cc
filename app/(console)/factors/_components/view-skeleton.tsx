import { slotKeys } from "@/components/ui/skeleton";

const ROWS = slotKeys("row", 12);
const CELLS = slotKeys("cell", 6);

/** While a view's figures load: the card, its header and a grid of cells, so nothing jumps when they arrive. */
export function ViewSkeleton() {
  return (
    <div
      role="status"
      aria-busy="true"
      aria-label="Loading the figures"
      className="animate-pulse rounded-lg border border-slate-200 bg-white shadow-xs"
    >
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
        <div className="h-4 w-72 rounded bg-slate-200" />
        <div className="h-7 w-56 rounded bg-slate-100" />
      </div>
      <div className="space-y-1 p-4">
        {ROWS.map((row) => (
          <div key={row} className="flex gap-1">
            <div className="h-8 w-48 rounded bg-slate-100" />
            {CELLS.map((cell) => (
              <div key={cell} className="h-8 flex-1 rounded bg-slate-100/70" />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
