import { CircleAlert, CircleCheck, Siren } from "lucide-react";
import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { type BreakGlassKind, unmetApprovals } from "@/lib/break-glass/rules";
import { formatDateTime, formatRelative } from "@/lib/time";

type Readiness = {
  health: {
    ready: number;
    approvers: number;
    required: number;
    canBeMet: boolean;
    canBeMetFor: Record<BreakGlassKind, boolean>;
    problems: string[];
  };
  overview: {
    active: number;
    pending: number;
    overdueReviews: number;
    lastDrill: { at: Date; minutesToApproval: number | null } | null;
  };
};

/**
 * Whether break-glass would work today, for the dashboard: the approver pool against the policy, what is active
 * now, post-incident reviews overdue, and the last recovery drill with its time to approval. Counts only, no names
 * (executives read this page).
 */
export function BreakGlassReadiness({
  data,
  href,
  now,
  tz,
}: {
  data: Readiness;
  href?: string;
  now: Date;
  tz: string;
}) {
  const { health, overview } = data;
  const ok = health.canBeMet && health.problems.length === 0;
  const figure = (
    label: string,
    value: React.ReactNode,
    tone: "neutral" | "warning" | "danger" | "success",
    hint?: string,
  ) => (
    <div>
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd
        className={cn(
          "mt-1 text-2xl font-semibold tabular-nums",
          tone === "danger" && "text-red-700",
          tone === "warning" && "text-amber-700",
          tone === "success" && "text-emerald-700",
          tone === "neutral" && "text-slate-900",
        )}
      >
        {value}
      </dd>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
  const Icon = ok ? CircleCheck : CircleAlert;
  return (
    <div
      className={cn(
        "rounded-lg border bg-white p-4 shadow-xs",
        !health.canBeMet ? "border-red-300" : !ok ? "border-amber-300" : "border-slate-200",
      )}
      data-testid="break-glass-readiness"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <p className="flex items-center gap-1.5 text-sm font-semibold text-slate-900">
          <Icon
            className={cn("size-4", ok ? "text-emerald-600" : health.canBeMet ? "text-amber-600" : "text-red-600")}
            aria-hidden
          />
          {health.canBeMet
            ? "Break-glass approvals can be met today"
            : `${unmetApprovals(health.canBeMetFor)} cannot be met today: requests would lapse`}
        </p>
        {href ? (
          <Link href={href} className="text-xs text-indigo-700 hover:underline">
            Break-glass
          </Link>
        ) : null}
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-4 md:grid-cols-4">
        {figure(
          "Approvers able to approve",
          <>
            {health.ready}
            <span className="text-sm font-normal text-slate-500"> of {health.approvers}</span>
          </>,
          health.ready < health.required ? "danger" : "neutral",
          `the policy needs ${health.required}`,
        )}
        {figure(
          "Active now",
          <span className="inline-flex items-center gap-1.5">
            {overview.active ? <Siren className="size-5" aria-hidden /> : null}
            {overview.active}
          </span>,
          overview.active ? "warning" : "success",
          `${overview.pending} waiting for approval`,
        )}
        {figure(
          "Post-incident reviews overdue",
          overview.overdueReviews,
          overview.overdueReviews ? "danger" : "success",
          "every use is reviewed after it ends",
        )}
        {figure(
          "Last recovery drill",
          overview.lastDrill ? formatRelative(overview.lastDrill.at, now) : "never",
          overview.lastDrill ? "neutral" : "warning",
          overview.lastDrill
            ? `${formatDateTime(overview.lastDrill.at, tz)} · approved in ${overview.lastDrill.minutesToApproval ?? "?"} min`
            : "no drill has proven the flow yet",
        )}
      </dl>
      {health.problems.length ? (
        <ul className="mt-3 space-y-0.5 border-t border-slate-100 pt-2 text-xs text-slate-700">
          {health.problems.map((p) => (
            <li key={p} className="flex gap-1.5">
              <CircleAlert className="mt-0.5 size-3.5 shrink-0 text-amber-600" aria-hidden />
              {p}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
