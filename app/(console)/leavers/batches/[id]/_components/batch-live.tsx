"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, Play } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Stat } from "@/components/ui/stat";
import { useAction } from "@/components/ui/use-action";
import type { BatchProgress } from "@/lib/leavers/batch";
import { formatDateTime, formatRelative } from "@/lib/time";
import { executeCasesAction } from "../../../actions";

async function fetchProgress(id: number): Promise<BatchProgress> {
  const res = await fetch(`/api/leavers/batches/${id}`, { cache: "no-store" });
  if (!res.ok) throw new Error((await res.json().catch(() => null))?.message ?? `Progress unavailable (${res.status})`);
  return res.json();
}

/** Live progress of a mass layoff: polls every 2 s while work remains, with a bar, throughput, SLA and failures. */
export function BatchLive({ initial, tz, canManage }: { initial: BatchProgress; tz: string; canManage: boolean }) {
  const {
    data = initial,
    error,
    isFetching,
    dataUpdatedAt,
  } = useQuery({
    queryKey: ["leaver-batch", initial.id],
    queryFn: () => fetchProgress(initial.id),
    initialData: initial,
    refetchInterval: (q) => {
      const d = q.state.data;
      return d && d.cases.closed === d.cases.total && d.tasks.running === 0 ? false : 2000;
    },
  });
  const [queued, setQueued] = useState<string | null>(null);
  const t = data.tasks;
  const pct = (n: number) => (t.total ? (100 * n) / t.total : 0);
  const done = t.verified + t.waived;
  const now = new Date(data.asOf);
  const remaining = t.total - done;
  // Connectors finish what they can; tasks that need a person are not in a throughput estimate.
  const automatableLeft = Math.max(0, remaining - t.manual);
  const eta =
    automatableLeft === 0 ? 0 : data.throughputPerMin > 0 ? Math.ceil(automatableLeft / data.throughputPerMin) : null;
  const pendingAutomatable = t.pending + t.failed > t.manual;

  return (
    <div className="flex flex-col gap-5" aria-live="polite">
      <Card>
        <div className="px-4 py-4">
          <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
            <p className="text-sm font-medium text-slate-900">
              <span className="text-2xl font-semibold tabular-nums" data-testid="batch-percent">
                {Math.floor(pct(done))}%
              </span>{" "}
              <span className="text-slate-600">of {t.total.toLocaleString("en-US")} tasks verified or waived</span>
            </p>
            <p className="text-xs text-slate-500">
              {isFetching
                ? "Updating…"
                : `Updated ${formatDateTime(new Date(dataUpdatedAt || Date.parse(data.asOf)), tz)}`}
              {error ? <span className="ml-2 text-red-700">{(error as Error).message}</span> : null}
            </p>
          </div>
          <div
            className="flex h-3 overflow-hidden rounded-full bg-slate-200"
            role="progressbar"
            aria-label="Batch progress"
            aria-valuemin={0}
            aria-valuemax={t.total}
            aria-valuenow={done}
          >
            <div
              className="bg-emerald-600 transition-all"
              style={{ width: `${pct(t.verified)}%` }}
              title={`${t.verified} verified`}
            />
            <div
              className="bg-violet-400 transition-all"
              style={{ width: `${pct(t.waived)}%` }}
              title={`${t.waived} waived`}
            />
            <div
              className="bg-sky-400 transition-all"
              style={{ width: `${pct(t.done + t.running)}%` }}
              title={`${t.done + t.running} in flight`}
            />
            <div
              className="bg-red-500 transition-all"
              style={{ width: `${pct(t.failed)}%` }}
              title={`${t.failed} failed`}
            />
          </div>
          <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
            <li>
              <span className="mr-1 inline-block size-2 rounded-full bg-emerald-600" />
              {t.verified.toLocaleString("en-US")} verified
            </li>
            <li>
              <span className="mr-1 inline-block size-2 rounded-full bg-violet-400" />
              {t.waived} waived
            </li>
            <li>
              <span className="mr-1 inline-block size-2 rounded-full bg-sky-400" />
              {(t.done + t.running).toLocaleString("en-US")} running or awaiting verification
            </li>
            <li>
              <span className="mr-1 inline-block size-2 rounded-full bg-red-500" />
              {t.failed} failed
            </li>
            <li>
              <span className="mr-1 inline-block size-2 rounded-full bg-slate-300" />
              {t.pending.toLocaleString("en-US")} not started ({t.manual} need a person)
            </li>
          </ul>
          {canManage && pendingAutomatable ? (
            <div className="mt-3 flex items-center gap-2">
              <BatchExecute batchId={data.id} onQueued={setQueued} />
              {queued ? (
                <span role="status" className="text-xs text-emerald-700">
                  {queued}
                </span>
              ) : null}
            </div>
          ) : null}
        </div>
      </Card>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Stat
          label="Cases"
          value={data.cases.total.toLocaleString("en-US")}
          hint={`${data.cases.closed} closed · ${data.cases.inProgress} in progress`}
        />
        <Stat label="Open, not started" value={data.cases.open.toLocaleString("en-US")} />
        <Stat
          label="SLA breached"
          value={data.cases.breached.toLocaleString("en-US")}
          tone={data.cases.breached ? "danger" : "success"}
        />
        <Stat
          label="Next SLA"
          value={data.nextSlaAt ? formatRelative(data.nextSlaAt, now) : "—"}
          hint={
            data.nextSlaAt
              ? formatDateTime(data.nextSlaAt, tz)
              : data.cases.closed === data.cases.total
                ? "every case closed"
                : "none ahead: the open cases are past theirs"
          }
        />
        <Stat label="Throughput" value={`${data.throughputPerMin}/min`} hint="tasks verified, last 5 minutes" />
        <Stat
          label="Time to finish"
          value={automatableLeft === 0 ? "—" : eta === null ? "—" : eta < 1 ? "<1 min" : `${eta} min`}
          hint={
            remaining
              ? `${automatableLeft.toLocaleString("en-US")} for connectors${t.manual ? `, ${t.manual.toLocaleString("en-US")} need a person` : ""}`
              : "nothing left"
          }
        />
      </div>
      <Card>
        <CardHeader
          title="Failures by system and error"
          description="Retryable failures come back by themselves with backoff; the others need a person."
        />
        {data.failures.length === 0 ? (
          <EmptyState title="No failed tasks" />
        ) : (
          <ul className="divide-y divide-slate-100">
            {data.failures.map((f) => (
              <li key={`${f.system}|${f.error}`} className="flex items-start justify-between gap-4 px-4 py-2.5">
                <div className="min-w-0">
                  <p className="flex items-center gap-1.5 text-sm font-medium text-slate-900">
                    <AlertTriangle className="size-4 text-red-600" aria-hidden /> {f.system}
                  </p>
                  <p className="font-mono text-xs break-words text-red-800">{f.error}</p>
                </div>
                <span className="shrink-0 text-sm font-semibold text-red-700 tabular-nums">
                  {f.tasks} task{f.tasks === 1 ? "" : "s"}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

/** Queues every automatable task of the batch's cases (the queue's bulk action, for the whole batch). */
function BatchExecute({ batchId, onQueued }: { batchId: number; onQueued: (msg: string) => void }) {
  const execute = useAction(executeCasesAction, { refresh: false });
  return (
    <>
      <Button
        size="sm"
        variant="primary"
        disabled={execute.pending}
        onClick={() =>
          execute.run({ batchId }, (d) =>
            onQueued(
              `${d.queued.toLocaleString("en-US")} tasks queued across ${d.cases.toLocaleString("en-US")} cases.`,
            ),
          )
        }
      >
        <Play className="size-3.5" aria-hidden /> {execute.pending ? "Queuing…" : "Execute all automatable tasks"}
      </Button>
      {execute.error ? (
        <span role="alert" className="text-xs text-red-700">
          {execute.error}
        </span>
      ) : null}
    </>
  );
}
