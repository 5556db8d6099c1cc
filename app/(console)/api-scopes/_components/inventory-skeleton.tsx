import { slotKeys } from "@/components/ui/skeleton";

const TILES = slotKeys("tile", 8);
const ROWS = slotKeys("row", 8);

/**
 * Shown while the inventory's queries run: the page's shape, without numbers. A Suspense fallback inside the
 * page, not a route-level loading.tsx: that would start streaming (status 200) before the permission check
 * could answer 403.
 */
export function InventorySkeleton() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading API credentials" className="animate-pulse">
      <div className="rounded-lg border border-slate-200 bg-white">
        <div className="grid grid-cols-4 gap-2 border-b border-slate-200 p-3 xl:grid-cols-8">
          {TILES.map((key) => (
            <div key={key} className="h-14 rounded bg-slate-100" />
          ))}
        </div>
        {ROWS.map((key) => (
          <div key={key} className="m-3 h-10 rounded bg-slate-50" />
        ))}
      </div>
    </div>
  );
}
