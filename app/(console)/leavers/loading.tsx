/** Skeleton while the queue loads: the same frame as the page, so nothing jumps when it arrives. */
export default function LeaversLoading() {
  return (
    <div aria-busy="true" aria-label="Loading the leaver queue" className="animate-pulse">
      <div className="mb-5 h-7 w-48 rounded bg-slate-200" />
      <div className="mb-5 grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-20 rounded-lg border border-slate-200 bg-white" />
        ))}
      </div>
      <div className="rounded-lg border border-slate-200 bg-white">
        <div className="h-16 border-b border-slate-200" />
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex h-12 items-center gap-4 border-b border-slate-100 px-3">
            <div className="h-4 w-10 rounded bg-slate-100" />
            <div className="h-4 w-48 rounded bg-slate-100" />
            <div className="h-4 w-24 rounded bg-slate-100" />
            <div className="h-4 w-32 rounded bg-slate-100" />
          </div>
        ))}
      </div>
    </div>
  );
}
