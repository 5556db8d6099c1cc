import { slotKeys } from "@/components/ui/skeleton";

const ROWS = slotKeys("queue-row", 4);

/** The queue's frame while it loads: header, then rows of the same height as the real ones. */
export default function QueueLoading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the approvals queue" className="animate-pulse">
      <div className="mb-2 h-3 w-40 rounded bg-slate-200" />
      <div className="mb-2 h-7 w-56 rounded bg-slate-200" />
      <div className="mb-6 h-4 w-[36rem] max-w-full rounded bg-slate-100" />
      <div className="rounded-lg border border-slate-200 bg-white">
        {ROWS.map((k) => (
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
