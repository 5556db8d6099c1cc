/**
 * Shown while the inventory's queries run: the page's shape, without numbers. A Suspense fallback inside the
 * page, not a route-level loading.tsx: that would start streaming (status 200) before the permission check
 * could answer 403.
 */
export function InventorySkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading API credentials" className="animate-pulse">
      <div className="rounded-lg border border-slate-200 bg-white">
        <div className="grid grid-cols-4 gap-2 border-b border-slate-200 p-3 xl:grid-cols-8">
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="h-14 rounded bg-slate-100" />
          ))}
        </div>
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="m-3 h-10 rounded bg-slate-50" />
        ))}
      </div>
    </div>
  );
}
