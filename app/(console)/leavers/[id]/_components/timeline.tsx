import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { TimelineEvent } from "@/lib/leavers/case-detail";
import { formatDateTime } from "@/lib/time";

const VERB: Record<string, string> = {
  "leaver.open": "opened the case",
  "leaver.import": "imported the batch",
  "leaver.assign": "assigned the case",
  "leaver.execute": "queued tasks",
  "leaver.task_execute": "executed",
  "leaver.task_verify": "verified",
  "leaver.task_fail": "failed",
  "leaver.task_retry": "retried",
  "leaver.task_confirm": "confirmed by hand",
  "leaver.task_verify_request": "asked to re-verify",
  "leaver.task_waive": "waived",
  "leaver.task_handover": "handed over",
  "leaver.close": "closed the case",
  "leaver.drift_reopen": "reopened the case: drift",
};
const TONE: Record<string, string> = {
  "leaver.task_fail": "bg-red-500",
  "leaver.drift_reopen": "bg-red-600",
  "leaver.task_verify": "bg-emerald-500",
  "leaver.close": "bg-emerald-700",
  "leaver.task_waive": "bg-violet-500",
};

function detail(e: TimelineEvent): string | null {
  const a = (e.after ?? {}) as Record<string, unknown>;
  if (e.action === "leaver.execute") return `${a.queued} task${a.queued === 1 ? "" : "s"}`;
  if (e.action === "leaver.task_fail") return String(a.error ?? "");
  if (e.action === "leaver.task_verify") return String(a.how ?? "");
  if (e.action === "leaver.task_waive") return String(a.reason ?? "");
  if (e.action === "leaver.task_handover") return `to ${a.newOwner}`;
  if (e.action === "leaver.assign") return a.assignee ? `to ${a.assignee}` : "unassigned";
  if (e.action === "leaver.open") return `${a.tasks} tasks`;
  return null;
}

/** The case's history, newest first, straight from the audit log (the same events the chain protects). */
export function Timeline({ events, tz }: { events: TimelineEvent[]; tz: string }) {
  return (
    <Card>
      <CardHeader title="Timeline" description="From the audit log, newest first." />
      {events.length === 0 ? (
        <EmptyState title="Nothing recorded yet" />
      ) : (
        <ol className="max-h-[640px] overflow-y-auto px-4 py-3">
          {events.map((e) => (
            <li key={e.id} className="relative border-l border-slate-200 pb-3 pl-4 last:pb-0">
              <span
                className={`absolute top-1.5 -left-[4.5px] size-2 rounded-full ${TONE[e.action] ?? "bg-slate-400"}`}
                aria-hidden
              />
              <p className="text-xs text-slate-500">
                {formatDateTime(e.occurredAt, tz)} · {e.actor}
              </p>
              <p className="text-sm text-slate-800">
                {VERB[e.action] ?? e.action}
                {e.targetType === "revocation_task" && e.targetLabel ? (
                  <span className="text-slate-600">: {e.targetLabel}</span>
                ) : null}
              </p>
              {detail(e) ? <p className="line-clamp-2 text-xs text-slate-500">{detail(e)}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
