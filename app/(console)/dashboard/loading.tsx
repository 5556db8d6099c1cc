/** Skeleton while the figures load: the same frame as the dashboard, so nothing jumps when it arrives. */
export default function DashboardLoading() {
  return (
    <div aria-busy="true" aria-label="Loading the risk dashboard" className="animate-pulse">
      <div className="mb-2 h-7 w-48 rounded bg-slate-200" />
      <div className="mb-6 h-4 w-96 rounded bg-slate-100" />
      {[4, 4, 2].map((count, s) => (
        <div key={s} className="mb-6">
          <div className="mb-2 h-3 w-40 rounded bg-slate-200" />
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
            {Array.from({ length: count }, (_, i) => (
              <div key={i} className="h-40 rounded-lg border border-slate-200 bg-white" />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
