import { Check, CircleAlert, UserRound } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { StrengthBadge } from "@/components/ui/strength-badge";
import type { BreakGlassDetail } from "@/lib/break-glass/detail";
import { type BreakGlassKind, PROOFING_LABELS, type ProofingChecklist } from "@/lib/break-glass/rules";
import { eventLabel } from "@/lib/events/catalog";
import { formatDateTime } from "@/lib/time";
import { minutesLabel } from "./bits";

/** Each decision so far: who, when, what they checked (recovery), any shortening, and their words. */
export function ApprovalsCard({
  approvals,
  required,
  kind,
  tz,
}: {
  approvals: BreakGlassDetail["approvals"];
  required: number;
  kind: BreakGlassKind;
  tz: string;
}) {
  const approved = approvals.filter((a) => a.decision === "approve").length;
  return (
    <Card>
      <CardHeader
        title={`Decisions (${approved} of ${required} approvals)`}
        description={
          kind === "account_recovery"
            ? "Each approver records how they confirmed it is really the person."
            : "An approver may shorten the time asked for, never extend it."
        }
      />
      {approvals.length === 0 ? (
        <p className="px-4 py-4 text-sm text-slate-500">
          No decisions yet: eligible approvers were told in-app when it was asked.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Decisions">
          {approvals.map((a) => {
            const checked = a.checklist
              ? (Object.keys(PROOFING_LABELS) as (keyof ProofingChecklist)[]).filter((k) => a.checklist?.[k])
              : [];
            return (
              <li key={a.id} className="px-4 py-3" data-testid="approval">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="text-sm font-medium text-slate-900">{a.approver}</span>
                  <Badge tone={a.decision === "approve" ? "success" : "danger"}>
                    {a.decision === "approve" ? "Approved" : "Denied"}
                  </Badge>
                  {a.groupLabel ? <Badge tone="info">for {a.groupLabel}</Badge> : null}
                  {a.durationMinutes ? (
                    <Badge tone="warning">shortened to {minutesLabel(a.durationMinutes)}</Badge>
                  ) : null}
                  <span className="text-xs text-slate-500">{formatDateTime(a.decidedAt, tz)}</span>
                </div>
                {checked.length ? (
                  <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-700">
                    {checked.map((k) => (
                      <span key={k} className="inline-flex items-center gap-1">
                        <Check className="size-3.5 text-emerald-600" aria-hidden /> {PROOFING_LABELS[k]}
                      </span>
                    ))}
                  </p>
                ) : null}
                {a.comment ? <p className="mt-1 text-sm text-slate-700">“{a.comment}”</p> : null}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

/**
 * Who may approve (active approvers who are neither requester, subject nor in the subject's manager chain) and who
 * may not, with why — so a stuck request shows at once whether the policy can be met.
 */
export function ApproversCard({
  candidates,
  decided,
  required,
  groups,
  meId,
}: {
  candidates: BreakGlassDetail["candidates"];
  decided: number[];
  required: number;
  groups: string[];
  meId: number | null;
}) {
  const eligible = candidates.filter((c) => !c.excluded);
  const excluded = candidates.filter((c) => c.excluded);
  const short = eligible.length < required;
  return (
    <Card className={short ? "border-red-300" : undefined}>
      <CardHeader
        title={`Eligible approvers (${eligible.length})`}
        description={
          groups.length
            ? `The policy needs ${required}, including one from each of: ${groups.join(", ")}.`
            : `The policy needs ${required} distinct approvers.`
        }
      />
      {short ? (
        <p className="flex gap-1.5 border-b border-red-100 bg-red-50 px-4 py-2 text-xs text-red-800">
          <CircleAlert className="size-3.5 shrink-0" aria-hidden /> Only {eligible.length} can approve: this request
          cannot reach {required} approvals. An administrator must add approvers.
        </p>
      ) : null}
      <ul className="divide-y divide-slate-100" aria-label="Eligible approvers">
        {eligible.map((c) => (
          <li key={c.id} className="flex items-center justify-between gap-2 px-4 py-2">
            <div className="min-w-0">
              <p className="flex items-center gap-1.5 text-sm text-slate-900">
                <UserRound className="size-3.5 text-slate-400" aria-hidden />
                {c.name}
                {c.id === meId ? <Badge>you</Badge> : null}
                {decided.includes(c.id) ? <Badge tone="success">decided</Badge> : null}
              </p>
              <p className="text-xs text-slate-500">
                {c.department ?? "No department"}
                {c.groups.length ? ` · counts for ${c.groups.join(", ")}` : ""}
              </p>
            </div>
            <span className="flex items-center gap-1.5">
              {c.strength < 3 ? <Badge tone="warning">below AAL2</Badge> : null}
              <StrengthBadge strength={c.strength} compact />
            </span>
          </li>
        ))}
      </ul>
      {excluded.length ? (
        <div className="border-t border-slate-200 px-4 py-2">
          <p className="text-xs font-medium text-slate-500">Not eligible for this request</p>
          <ul className="mt-1 space-y-0.5" aria-label="Excluded approvers">
            {excluded.map((c) => (
              <li key={c.id} className="text-xs text-slate-600">
                <span className="text-slate-800">{c.name}</span> — {c.excluded}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}

/** The request's history from the audit log (the hash-chained events), newest first. */
export function TimelineCard({
  events,
  tz,
  auditHref,
}: {
  events: BreakGlassDetail["timeline"];
  tz: string;
  auditHref: string | null;
}) {
  return (
    <Card>
      <CardHeader
        title="Timeline"
        description="From the audit log, newest first."
        actions={
          auditHref ? (
            <Link href={auditHref} className="text-xs text-indigo-700 hover:underline">
              In the audit log
            </Link>
          ) : null
        }
      />
      {events.length === 0 ? (
        <EmptyState title="Nothing recorded yet" />
      ) : (
        <ol className="max-h-[520px] overflow-y-auto px-4 py-3" aria-label="Timeline">
          {events.map((e) => (
            <li key={e.id} className="relative border-l border-slate-200 pb-3 pl-4 last:pb-0">
              <span
                className={`absolute top-1.5 -left-[4.5px] size-2 rounded-full ${
                  e.action.endsWith("deny") || e.action.endsWith("dispute")
                    ? "bg-red-500"
                    : e.action.endsWith("activate") || e.action.endsWith("approve")
                      ? "bg-emerald-500"
                      : "bg-slate-400"
                }`}
                aria-hidden
              />
              <p className="text-xs text-slate-500">
                {formatDateTime(e.at, tz)} · {e.actor}
              </p>
              <p className="text-sm text-slate-800">{eventLabel(e.action)}</p>
              <p className="font-mono text-[10px] text-slate-400" title="This event's hash in the audit chain">
                {e.hash.slice(0, 16)}…
              </p>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
