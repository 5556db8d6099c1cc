export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading…</span>
      <div className="mb-2 h-6 w-56 rounded bg-slate-200" />
      <div className="mb-6 h-4 w-96 rounded bg-slate-100" />
      <div className="grid grid-cols-4 gap-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-24 rounded-lg bg-slate-100" />
        ))}
      </div>
      <div className="mt-6 h-72 rounded-lg bg-slate-100" />
    </div>
  );
}
