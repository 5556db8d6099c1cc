"use client";

import { CheckCheck, Play, RefreshCw, ScanSearch, ShieldOff } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { confirmTaskAction, queueTasksAction, recheckTaskAction, retryTaskAction, waiveTaskAction } from "./actions";
import { HandoverPicker } from "./handover-picker";

export type TaskActionProps = {
  taskId: number;
  label: string;
  state: string;
  mode: "connector" | "manual" | "handover";
  awaitingSecond: boolean;
  confirmedByMe: boolean;
  needsSecond: boolean;
  /** The origin no longer accepts changes (a closed leaver case). */
  closed: boolean;
  can: { manage: boolean; waive: boolean; handover: boolean };
  defaultOwner: { id: number; name: string } | null;
};

type Panel = null | "confirm" | "waive" | "handover";

/**
 * The buttons a remediation task offers in its state, and the small forms behind "Confirm manually", "Waive" and
 * handover — the same on every page that shows tasks (a leaver case, a credential).
 */
export function TaskActions(p: TaskActionProps) {
  const [panel, setPanel] = useState<Panel>(null);
  const execute = useAction(queueTasksAction);
  const retry = useAction(retryTaskAction);
  const verify = useAction(recheckTaskAction);
  const confirm = useAction(confirmTaskAction);
  const waive = useAction(waiveTaskAction);
  const finished = p.state === "verified" || p.state === "waived";
  if (p.closed || finished) return null;
  const error = execute.error ?? retry.error ?? verify.error;
  const busy = execute.pending || retry.pending || verify.pending;

  return (
    <div className="flex flex-col items-end gap-1.5">
      <div className="flex flex-wrap justify-end gap-1.5">
        {p.can.manage && p.mode === "connector" && p.state === "pending" ? (
          <Button
            size="sm"
            variant="primary"
            disabled={busy}
            onClick={() => execute.run({ taskIds: [p.taskId] })}
            aria-label={`Execute: ${p.label}`}
          >
            <Play className="size-3.5" aria-hidden /> Execute
          </Button>
        ) : null}
        {p.can.manage && p.mode === "connector" && p.state === "failed" ? (
          <Button
            size="sm"
            variant="primary"
            disabled={busy}
            onClick={() => retry.run({ taskId: p.taskId })}
            aria-label={`Retry: ${p.label}`}
          >
            <RefreshCw className="size-3.5" aria-hidden /> Retry now
          </Button>
        ) : null}
        {p.can.manage && p.mode === "connector" && p.state === "done" ? (
          <Button
            size="sm"
            disabled={busy}
            onClick={() => verify.run({ taskId: p.taskId })}
            aria-label={`Verify: ${p.label}`}
          >
            <ScanSearch className="size-3.5" aria-hidden /> Verify
          </Button>
        ) : null}
        {p.can.manage &&
        p.mode !== "handover" &&
        !(p.mode === "connector" && ["pending", "running"].includes(p.state)) ? (
          <Button
            size="sm"
            disabled={p.confirmedByMe}
            onClick={() => setPanel(panel === "confirm" ? null : "confirm")}
            title={p.confirmedByMe ? "You confirmed it; a second person must confirm" : undefined}
            aria-label={`${p.awaitingSecond ? "Second confirmation" : "Confirm manually"}: ${p.label}`}
          >
            <CheckCheck className="size-3.5" aria-hidden />{" "}
            {p.awaitingSecond ? "Confirm (second person)" : "Confirm manually"}
          </Button>
        ) : null}
        {p.can.handover && p.mode === "handover" ? (
          <Button
            size="sm"
            variant="primary"
            onClick={() => setPanel(panel === "handover" ? null : "handover")}
            aria-label={`Hand over: ${p.label}`}
          >
            Hand over
          </Button>
        ) : null}
        {p.can.waive ? (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setPanel(panel === "waive" ? null : "waive")}
            aria-label={`Waive: ${p.label}`}
          >
            <ShieldOff className="size-3.5" aria-hidden /> Waive
          </Button>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}

      {panel === "confirm" ? (
        <form
          className="w-full max-w-md rounded-md border border-slate-200 bg-slate-50 p-3 text-left"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            confirm.run(
              { taskId: p.taskId, ticket: String(f.get("ticket") ?? ""), note: String(f.get("note") ?? "") },
              () => setPanel(null),
            );
          }}
        >
          <p className="mb-2 text-xs text-slate-600">
            {p.awaitingSecond
              ? "Check the target yourself: your confirmation is the second of two."
              : p.needsSecond
                ? "Privileged: this counts as verified once a second, different person confirms too."
                : "Say what you checked; this counts as verified."}
          </p>
          <label className="mb-2 block text-xs font-medium text-slate-700">
            Ticket or evidence link
            <input
              name="ticket"
              placeholder="RITM0012345 or https://…"
              className="mt-0.5 block h-8 w-full rounded-md border border-slate-300 bg-white px-2 text-sm"
            />
          </label>
          <label className="block text-xs font-medium text-slate-700">
            What you checked
            <textarea
              name="note"
              required
              minLength={3}
              rows={2}
              className="mt-0.5 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
            />
          </label>
          {confirm.error ? (
            <p role="alert" className="mt-1 text-xs text-red-700">
              {confirm.error}
            </p>
          ) : null}
          <div className="mt-2 flex justify-end gap-2">
            <Button size="sm" variant="ghost" onClick={() => setPanel(null)}>
              Cancel
            </Button>
            <Button size="sm" variant="primary" type="submit" disabled={confirm.pending}>
              Record confirmation
            </Button>
          </div>
        </form>
      ) : null}

      {panel === "waive" ? (
        <form
          className="w-full max-w-md rounded-md border border-violet-200 bg-violet-50/50 p-3 text-left"
          onSubmit={(e) => {
            e.preventDefault();
            waive.run({ taskId: p.taskId, reason: String(new FormData(e.currentTarget).get("reason") ?? "") }, () =>
              setPanel(null),
            );
          }}
        >
          <label className="block text-xs font-medium text-slate-700">
            Why this will not be done (kept in the report)
            <textarea
              name="reason"
              required
              minLength={10}
              rows={2}
              className="mt-0.5 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
            />
          </label>
          {waive.error ? (
            <p role="alert" className="mt-1 text-xs text-red-700">
              {waive.error}
            </p>
          ) : null}
          <div className="mt-2 flex justify-end gap-2">
            <Button size="sm" variant="ghost" onClick={() => setPanel(null)}>
              Cancel
            </Button>
            <Button size="sm" variant="danger" type="submit" disabled={waive.pending}>
              Waive task
            </Button>
          </div>
        </form>
      ) : null}

      {panel === "handover" ? (
        <HandoverPicker taskId={p.taskId} defaultOwner={p.defaultOwner} onDone={() => setPanel(null)} />
      ) : null}
    </div>
  );
}
