import { slotKeys } from "@/components/ui/skeleton";

const STATS = slotKeys("bg-stat", 4);
const ROWS = slotKeys("bg-row", 8);
const QUEUE = slotKeys("bg-queue", 4);

// Suspense fallbacks inside the pages, not route-level loading.tsx files: those would start streaming (status
// 200) before the permission check could answer 403.

/** The list's shape while its queries run: figures, pool health, then table rows. */
export function ListSkeleton() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading break-glass requests" className="animate-pulse">
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

/** The queue's rows while it loads, as tall as the real ones. */
export function QueueSkeleton() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the approvals queue" className="animate-pulse">
      <div className="rounded-lg border border-slate-200 bg-white">
        {QUEUE.map((k) => (
          <div key={k} className="flex gap-4 border-b border-slate-100 px-4 py-4 last:border-0">
            <div className="h-10 w-40 rounded bg-slate-100" />
            <div className="h-10 flex-1 rounded bg-slate-100" />
            <div className="h-8 w-40 rounded bg-slate-100" />
          </div>
        ))}
      </div>
    </div>
  );
}
