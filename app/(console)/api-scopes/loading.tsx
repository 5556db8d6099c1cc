/** Shown while the inventory's queries run: the page's shape, without numbers. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading API credentials" className="animate-pulse">
      <div className="mb-2 h-6 w-56 rounded bg-slate-200" />
      <div className="mb-6 h-4 w-96 rounded bg-slate-100" />
      <div className="rounded-lg border border-slate-200 bg-white">
        <div className="grid grid-cols-4 gap-2 border-b border-slate-200 p-3 xl:grid-cols-8">
          {Array.from({ length: 8 }, (_, i) => <div key={i} className="h-14 rounded bg-slate-100" />)}
        </div>
        {Array.from({ length: 8 }, (_, i) => <div key={i} className="m-3 h-10 rounded bg-slate-50" />)}
      </div>
    </div>
  );
}
