import { Badge } from "@/components/ui/badge";
import { StatusBadge } from "@/components/ui/status";
import { ACTION_LABELS, MAX_ATTEMPTS } from "@/lib/remediation/model";
import type { TaskRow as Task } from "@/lib/remediation/queries";
import { formatDateTime } from "@/lib/time";
import { type TaskActionProps, TaskActions } from "./task-actions";

/** What the task is waiting for, in words, under its state badge. */
function stateLine(t: Task, tz: string, now: Date): React.ReactNode {
  const at = (d: Date | null) => (d ? formatDateTime(d, tz) : "");
  switch (t.state) {
    case "pending":
      return t.mode === "manual"
        ? `Manual: ${t.assignee ? `assigned to ${t.assignee}` : "no system owner — an analyst confirms"}`
        : t.mode === "handover"
          ? "Waiting for a new owner"
          : "Not started";
    case "running":
      return t.leaseUntil && t.leaseUntil > now ? "Running now" : "Queued";
    case "done":
      return t.confirmedBy && !t.verification
        ? `Confirmed by ${t.confirmedBy}; waiting for a second person`
        : t.notBefore
          ? `Executed ${at(t.executedAt)}; re-verifying at ${at(t.notBefore)}`
          : `Executed ${at(t.executedAt)}; waiting for verification`;
    case "failed":
      return t.notBefore
        ? `Retrying at ${at(t.notBefore)} (attempt ${t.attempts + 1} of ${MAX_ATTEMPTS})`
        : t.errorRetryable === false
          ? "Not retried: needs a person"
          : `Gave up after ${t.attempts} attempts`;
    case "verified":
      return `${t.verification ?? "verified"} · ${at(t.verifiedAt)}${t.outcome === "already_gone" ? " · was already gone" : ""}`;
    case "waived":
      return `Waived by ${t.waivedBy ?? "?"}: ${t.waivedReason ?? ""}`;
  }
}

export function TaskRow({
  t,
  tz,
  now,
  actions,
}: {
  t: Task;
  tz: string;
  now: Date;
  actions: Omit<
    TaskActionProps,
    "taskId" | "label" | "state" | "mode" | "awaitingSecond" | "confirmedByMe" | "needsSecond" | "defaultOwner"
  > & { meId: number | null };
}) {
  const awaitingSecond = t.state === "done" && Boolean(t.confirmedBy) && !t.verification;
  return (
    <li
      className="flex flex-col gap-2 px-4 py-3 md:flex-row md:items-start md:justify-between"
      data-testid="task-row"
      data-task-kind={t.action}
      data-task-state={t.state}
    >
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-1.5">
          <span className="text-sm font-medium text-slate-900">{ACTION_LABELS[t.action]}</span>
          {t.privileged ? <Badge tone="warning">Privileged</Badge> : null}
          {t.bulkData ? <Badge tone="danger">Bulk data</Badge> : null}
          {t.mode === "manual" ? <Badge tone="neutral">Manual</Badge> : null}
        </div>
        <p className="truncate text-sm text-slate-600" title={t.targetLabel}>
          {t.targetLabel}
        </p>
        {t.action === "transfer_ownership" ? (
          <p className="text-xs text-slate-500">
            Owner now:{" "}
            <span className={t.state === "verified" ? "text-slate-700" : "font-medium text-red-700"}>
              {t.currentOwner ?? "none"}
              {t.state !== "verified" ? " (orphaned: owner is leaving)" : ""}
            </span>
            {t.newOwner && t.state !== "verified" ? <> · proposed: {t.newOwner}</> : null}
          </p>
        ) : null}
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <StatusBadge status={t.state === "running" && !(t.leaseUntil && t.leaseUntil > now) ? "pending" : t.state} />
          <span className={`text-xs ${t.state === "failed" ? "text-red-700" : "text-slate-500"}`}>
            {stateLine(t, tz, now)}
          </span>
        </div>
        {t.lastError && t.state !== "verified" ? (
          <p className="mt-1 rounded bg-red-50 px-2 py-1 font-mono text-[11px] leading-4 text-red-800">{t.lastError}</p>
        ) : null}
      </div>
      <TaskActions
        taskId={t.id}
        label={`${ACTION_LABELS[t.action]} ${t.targetLabel}`}
        state={t.state}
        mode={t.mode}
        awaitingSecond={awaitingSecond}
        confirmedByMe={awaitingSecond && t.confirmedById === actions.meId}
        needsSecond={t.needsSecond}
        closed={actions.closed}
        can={actions.can}
        defaultOwner={t.newOwnerId && t.newOwner ? { id: t.newOwnerId, name: t.newOwner } : null}
      />
    </li>
  );
}
