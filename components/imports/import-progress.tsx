"use client";

import type { RunView } from "@/lib/imports";

const n = (v: number) => v.toLocaleString("en-US");

/** While the server reads a file: the share of bytes read and the rows checked so far, updated as it polls. */
export function ImportProgress({ run, size, noun }: { run: RunView | null; size: number; noun: string }) {
  const bytes = run?.fileBytes ?? 0;
  const pct = size ? Math.min(100, Math.floor((100 * bytes) / size)) : 0;
  return (
    <div className="flex min-w-72 flex-1 flex-col gap-1" aria-live="polite">
      <div
        className="h-2 overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-label={`Reading the ${noun}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        <div className="h-full bg-indigo-500 transition-all" style={{ width: `${pct}%` }} />
      </div>
      <p className="text-xs text-slate-600" data-testid="import-progress">
        Checking every row… {run ? `${n(run.counts.read)} read` : "uploading"}
        {run?.counts.read ? ` · ${n(run.counts.ok)} ok · ${n(run.counts.error)} with errors` : ""}
      </p>
    </div>
  );
}
