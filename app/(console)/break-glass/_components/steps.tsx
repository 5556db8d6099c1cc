import { Check, Circle, X } from "lucide-react";
import { cn } from "@/components/ui/cn";
import type { BreakGlassKind, BreakGlassStatus } from "@/lib/break-glass/rules";
import { formatDateTime } from "@/lib/time";

type State = "done" | "current" | "failed" | "todo" | "skipped";
type Step = { label: string; note: string; state: State };

type Req = {
  kind: BreakGlassKind;
  status: BreakGlassStatus;
  drill: boolean;
  createdAt: Date;
  activatedAt: Date | null;
  expiresAt: Date | null;
  endedAt: Date | null;
  requestExpiresAt: Date;
  postReviewDueAt: Date | null;
  postReviewAt: Date | null;
};

/**
 * The request's state machine as steps: requested → approvals → active → ended → reviewed, with the branch it
 * took when it stopped early (denied, cancelled, lapsed, disputed).
 */
function stepsOf(r: Req, approvals: number, required: number, now: Date, tz: string): Step[] {
  const at = (d: Date | null) => (d ? formatDateTime(d, tz) : "");
  const activated = Boolean(r.activatedAt);
  const stoppedEarly = !activated && r.status !== "pending" && r.status !== "approved";
  const stopLabel: Partial<Record<BreakGlassStatus, string>> = {
    denied: "Denied",
    cancelled: "Cancelled",
    expired: "Lapsed",
    disputed: "Disputed",
  };
  const live = r.kind === "emergency_access" ? "Access granted" : "Pass issued";
  const steps: Step[] = [
    { label: "Requested", note: at(r.createdAt), state: "done" },
    {
      label: stoppedEarly ? (stopLabel[r.status] ?? "Stopped") : "Approvals",
      note: stoppedEarly
        ? `${approvals} of ${required} approvals · ${at(r.endedAt ?? r.requestExpiresAt)}`
        : `${Math.min(approvals, required)} of ${required}`,
      state: activated ? "done" : r.status === "pending" ? "current" : stoppedEarly ? "failed" : "current",
    },
    {
      label: r.drill ? `${live} (drill)` : live,
      note: activated ? at(r.activatedAt) : "",
      state: activated ? (r.status === "active" ? "current" : "done") : stoppedEarly ? "skipped" : "todo",
    },
  ];
  if (r.drill) {
    steps.push({
      label: "Drill done",
      note: activated ? "nothing granted, pass voided" : "",
      state: activated ? "done" : "skipped",
    });
    return steps;
  }
  const endLabel =
    r.status === "revoked"
      ? "Ended early"
      : r.status === "disputed"
        ? "Disputed"
        : r.status === "expired"
          ? "Expired"
          : "Ends by itself";
  steps.push({
    label: activated ? endLabel : "Ends by itself",
    note: activated ? (r.status === "active" ? `at ${at(r.expiresAt)}` : at(r.endedAt ?? r.expiresAt)) : "",
    state: !activated
      ? stoppedEarly
        ? "skipped"
        : "todo"
      : r.status === "active"
        ? "todo"
        : r.status === "disputed"
          ? "failed"
          : "done",
  });
  const overdue = r.postReviewDueAt && !r.postReviewAt && r.postReviewDueAt < now;
  steps.push({
    label: "Post-incident review",
    note: r.postReviewAt
      ? at(r.postReviewAt)
      : r.postReviewDueAt
        ? `${overdue ? "overdue since" : "due"} ${at(r.postReviewDueAt)}`
        : "",
    state: !activated
      ? stoppedEarly
        ? "skipped"
        : "todo"
      : r.postReviewAt
        ? "done"
        : overdue
          ? "failed"
          : r.status === "active"
            ? "todo"
            : "current",
  });
  return steps;
}

const DOT: Record<State, string> = {
  done: "bg-emerald-600 text-white",
  current: "bg-indigo-600 text-white ring-4 ring-indigo-100",
  failed: "bg-red-600 text-white",
  todo: "bg-white text-slate-400 ring-1 ring-slate-300",
  skipped: "bg-slate-100 text-slate-300",
};

export function RequestSteps(props: { request: Req; approvals: number; required: number; now: Date; tz: string }) {
  const steps = stepsOf(props.request, props.approvals, props.required, props.now, props.tz);
  return (
    <ol className="flex flex-wrap items-start gap-y-3" aria-label="Where this request is" data-testid="request-steps">
      {steps.map((s, i) => {
        const Icon = s.state === "failed" ? X : s.state === "done" ? Check : s.state === "current" ? Circle : null;
        return (
          <li
            key={s.label}
            className="flex min-w-36 flex-1 items-start gap-2"
            aria-current={s.state === "current" ? "step" : undefined}
          >
            <span className={cn("mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full", DOT[s.state])}>
              {Icon ? (
                <Icon className={cn("size-3.5", s.state === "current" && "size-2.5 fill-current")} aria-hidden />
              ) : null}
            </span>
            <div className="min-w-0 pr-2">
              <p
                className={cn(
                  "text-sm font-medium",
                  s.state === "failed" ? "text-red-800" : s.state === "skipped" ? "text-slate-400" : "text-slate-900",
                )}
              >
                {s.label}
                <span className="sr-only"> ({s.state})</span>
              </p>
              {s.note ? <p className="text-xs text-slate-500">{s.note}</p> : null}
            </div>
            {i < steps.length - 1 ? (
              <span
                aria-hidden
                className={cn(
                  "mt-3 hidden h-px flex-1 lg:block",
                  s.state === "done" ? "bg-emerald-400" : "bg-slate-200",
                )}
              />
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
