import { slotKeys } from "@/components/ui/skeleton";

const STATS = slotKeys("bg-stat", 4);
const ROWS = slotKeys("bg-row", 8);

/** The list's frame while it loads: header, figures, pool health, then table rows. */
export default function BreakGlassLoading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading break-glass requests" className="animate-pulse">
      <div className="mb-2 h-7 w-40 rounded bg-slate-200" />
      <div className="mb-6 h-4 w-[36rem] max-w-full rounded bg-slate-100" />
      <div className="mb-5 grid gap-4 xl:grid-cols-2">
        <div className="grid grid-cols-2 gap-3">
          {STATS.map((k) => (
            <div key={k} className="h-24 rounded-lg border border-slate-200 bg-white" />
          ))}
        </div>
        <div className="h-52 rounded-lg border border-slate-200 bg-white" />
      </div>
      <div className="rounded-lg border border-slate-200 bg-white">
        <div className="h-16 border-b border-slate-200" />
        {ROWS.map((k) => (
          <div key={k} className="flex gap-4 border-b border-slate-100 px-3 py-3 last:border-0">
            <div className="h-8 w-10 rounded bg-slate-100" />
            <div className="h-8 w-32 rounded bg-slate-100" />
            <div className="h-8 flex-1 rounded bg-slate-100" />
            <div className="h-8 w-24 rounded bg-slate-100" />
          </div>
        ))}
      </div>
    </div>
  );
}
