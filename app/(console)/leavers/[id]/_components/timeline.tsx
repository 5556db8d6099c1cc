import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { eventLabel } from "@/lib/events/catalog";
import type { TimelineEvent } from "@/lib/leavers/case-detail";
import { formatDateTime } from "@/lib/time";

const TONE: Record<string, string> = {
  "remediation.fail": "bg-red-500",
  "remediation.drift": "bg-red-600",
  "leaver.reopen": "bg-red-600",
  "remediation.verify": "bg-emerald-500",
  "remediation.handover": "bg-emerald-500",
  "leaver.close": "bg-emerald-700",
  "remediation.waive": "bg-violet-500",
};

function detail(e: TimelineEvent): string | null {
  const a = (e.after ?? {}) as Record<string, unknown>;
  switch (e.action) {
    case "remediation.queue":
      return `${a.queued} task${a.queued === 1 ? "" : "s"}`;
    case "remediation.fail":
      return String(a.error ?? "");
    case "remediation.verify":
    case "remediation.confirm":
      return String(a.how ?? "");
    case "remediation.waive":
      return String(a.reason ?? "");
    case "remediation.handover":
      return `to ${a.newOwner}`;
    case "leaver.assign":
      return a.assignee ? `to ${a.assignee}` : "unassigned";
    case "leaver.open":
      return `${a.tasks} tasks`;
    case "leaver.drift_check":
      return `${a.checked} re-verified, ${a.drifted} undone`;
    default:
      return null;
  }
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
                {eventLabel(e.action)}
                {(e.targetType === "remediation_task" || e.targetType === "revocation_task") && e.targetLabel ? (
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
