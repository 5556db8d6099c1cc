"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { RunRow } from "@/lib/reconciliation/queries";

type Run = Omit<RunRow, "createdAt" | "startedAt" | "finishedAt"> & {
  createdAt: string | Date;
  startedAt: string | Date | null;
  finishedAt: string | Date | null;
};

async function fetchRun(id: number): Promise<Run> {
  const res = await fetch(`/api/reconciliation/${id}`, { cache: "no-store" });
  if (!res.ok) throw new Error((await res.json().catch(() => null))?.message ?? `Progress unavailable (${res.status})`);
  return res.json();
}

const n = (v: number) => v.toLocaleString("en-US");

/** A waiting or running run: polled every second until it ends, then the page refreshes with its results. */
export function RunProgress({ initial }: { initial: Run }) {
  const router = useRouter();
  const { data = initial, error } = useQuery({
    queryKey: ["reconciliation-run", initial.id],
    queryFn: () => fetchRun(initial.id),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && ["done", "failed"].includes(q.state.data.status) ? false : 1000),
  });
  const ended = data.status === "done" || data.status === "failed";
  useEffect(() => {
    if (ended) router.refresh();
  }, [ended, router]);
  const total = (data.usersTotal ?? 0) + (data.groupsTotal ?? 0);
  const read = data.usersRead + data.groupsRead;
  const pct = total ? Math.min(100, Math.floor((100 * read) / total)) : 0;
  return (
    <div className="px-4 py-3" aria-live="polite" data-testid="reconciliation-progress">
      <p className="mb-2 text-sm text-slate-700">
        Run #{data.id}: <span className="font-medium">{data.status}</span>
        {data.status === "running"
          ? ` — ${n(data.usersRead)}${data.usersTotal != null ? ` of ${n(data.usersTotal)}` : ""} users, ${n(data.groupsRead)}${data.groupsTotal != null ? ` of ${n(data.groupsTotal)}` : ""} groups read`
          : data.status === "queued"
            ? " — waiting for the job runner"
            : ""}
        {error ? <span className="ml-2 text-red-700">{(error as Error).message}</span> : null}
      </p>
      <div
        className="h-2 overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-label="Reconciliation progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        <div className="h-full bg-indigo-600 transition-all" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
