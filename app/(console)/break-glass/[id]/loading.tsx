import { slotKeys } from "@/components/ui/skeleton";

const CARDS = slotKeys("bg-card", 3);

/** The request page's frame while it loads: header, the steps, then the two columns. */
export default function RequestLoading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the request" className="animate-pulse">
      <div className="mb-2 h-3 w-32 rounded bg-slate-200" />
      <div className="mb-2 h-7 w-80 rounded bg-slate-200" />
      <div className="mb-5 h-4 w-96 max-w-full rounded bg-slate-100" />
      <div className="mb-5 h-16 rounded-lg border border-slate-200 bg-white" />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_380px]">
        <div className="flex flex-col gap-5">
          {CARDS.map((k) => (
            <div key={k} className="h-40 rounded-lg border border-slate-200 bg-white" />
          ))}
        </div>
        <div className="h-72 rounded-lg border border-slate-200 bg-white" />
      </div>
    </div>
  );
}
