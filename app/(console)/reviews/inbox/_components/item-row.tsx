"use client";

import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FINDING_LABELS, type FindingId } from "@/lib/api-scopes/rules";
import type { InboxEntry } from "@/lib/reviews/inbox-dto";
import { DECISION_LABELS, type Decision, RECOMMENDATION_LABELS, type Recommendation } from "@/lib/reviews/rules";
import { formatDate, formatRelative } from "@/lib/time";

const REC_TONE: Record<Recommendation, Tone> = {
  keep: "success",
  revoke: "danger",
  reduce: "warning",
  look_closely: "violet",
};
const DECISION_TONE: Record<Decision, Tone> = {
  keep: "success",
  revoke: "danger",
  reduce: "warning",
  dont_know: "neutral",
};

/** One item: what it is, why the product suggests what it suggests, and the decision buttons (each with its key). */
export function ItemRow({
  index,
  item,
  focused,
  selected,
  pending,
  tz,
  now,
  onFocus,
  onToggle,
  onDecide,
  onReduce,
  onDelegate,
}: {
  index: number;
  item: InboxEntry;
  focused: boolean;
  selected: boolean;
  pending: boolean;
  tz: string;
  now: Date;
  onFocus: () => void;
  onToggle: () => void;
  onDecide: (d: Decision) => void;
  onReduce: () => void;
  onDelegate: () => void;
}) {
  const credential = item.kind === "api_scope";
  const facts = [
    credential
      ? `${item.credentialKind?.replace(/_/g, " ") ?? "credential"} · ${item.system}`
      : `${item.system}${item.account ? ` · ${item.account}` : ""}`,
    item.grantedAt
      ? `granted ${formatDate(item.grantedAt, tz)}${item.source ? ` (${item.source.replace(/_/g, " ")})` : ""}`
      : null,
    item.lastUsedAt ? `last used ${formatRelative(item.lastUsedAt, now)}` : "never used",
    item.peers ? `${item.peers.holding} of ${item.peers.team} in the team hold it` : null,
    item.earlierReview ? `last review: ${item.earlierReview.decision} (${item.earlierReview.campaign})` : null,
  ].filter(Boolean);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the whole list is driven by keyboard shortcuts (j/k, a/r/d/x)
    <li
      data-testid="review-item"
      data-item-id={item.id}
      data-index={index}
      data-decision={item.decision ?? ""}
      aria-current={focused ? "true" : undefined}
      aria-busy={pending || undefined}
      onClick={onFocus}
      className={cn(
        "flex flex-col gap-2 border-l-4 px-4 py-3 lg:flex-row lg:items-start lg:justify-between",
        focused ? "border-indigo-500 bg-indigo-50/40" : "border-transparent",
        pending && "opacity-60",
      )}
    >
      <div className="flex min-w-0 flex-1 items-start gap-3">
        <input
          type="checkbox"
          className="mt-1 size-4 shrink-0 rounded border-slate-300"
          checked={selected}
          onChange={onToggle}
          aria-label={`Select ${item.what} for ${item.subject.name}`}
        />
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-1.5">
            <span className="text-sm font-medium text-slate-900">{item.what}</span>
            {item.privileged ? <Badge tone="warning">{credential ? "Bulk reach" : "Privileged"}</Badge> : null}
            {item.stage === 2 ? <Badge tone="info">Stage 2</Badge> : null}
            {item.relation === "escalation" ? <Badge tone="danger">Escalated to you</Badge> : null}
            {item.relation === "delegate" ? <Badge tone="info">Delegated to you</Badge> : null}
            {item.findings.map((f) => (
              <Badge key={f} tone="danger">
                {FINDING_LABELS[f as FindingId] ?? f.replace(/_/g, " ")}
              </Badge>
            ))}
          </div>
          <p className="text-xs text-slate-600">{facts.join(" · ")}</p>
          {credential && item.scopes.length ? (
            <p className="mt-0.5 flex flex-wrap gap-1 text-xs">
              {item.scopes.map((s) => (
                <code
                  key={s}
                  className={cn(
                    "rounded px-1",
                    item.usedScopes.includes(s) ? "bg-slate-100 text-slate-700" : "bg-amber-50 text-amber-800",
                  )}
                  title={item.usedScopes.includes(s) ? "used in the last 90 days" : "not used in the last 90 days"}
                >
                  {s}
                </code>
              ))}
            </p>
          ) : null}
          <p className="mt-1 flex flex-wrap items-center gap-1.5 text-xs">
            <span className="text-slate-500">Suggested:</span>
            <Badge tone={REC_TONE[item.recommendation]}>{RECOMMENDATION_LABELS[item.recommendation]}</Badge>
            <span className="text-slate-600">{item.recommendationReason}</span>
          </p>
          {item.decision ? (
            <p className="mt-1 text-xs text-slate-700" data-testid="item-decision">
              Your decision: <Badge tone={DECISION_TONE[item.decision]}>{DECISION_LABELS[item.decision]}</Badge>
              {item.decisionSource === "policy" ? " (by the no-response policy)" : null}
              {item.keptScopes?.length ? <> — keeps {item.keptScopes.join(", ")}</> : null}
              {item.justification ? <span className="text-slate-500"> — “{item.justification}”</span> : null}
            </p>
          ) : null}
        </div>
      </div>
      <div className="flex shrink-0 flex-wrap gap-1.5 lg:justify-end">
        <Button size="sm" onClick={() => onDecide("keep")} aria-label={`Keep ${item.what} for ${item.subject.name}`}>
          Keep <kbd className="text-slate-400">a</kbd>
        </Button>
        <Button
          size="sm"
          variant="danger"
          onClick={() => onDecide("revoke")}
          aria-label={`Revoke ${item.what} for ${item.subject.name}`}
        >
          Revoke <kbd className="text-red-200">r</kbd>
        </Button>
        {credential && item.scopes.length > 1 ? (
          <Button size="sm" onClick={onReduce} aria-label={`Reduce ${item.what}`}>
            Reduce <kbd className="text-slate-400">e</kbd>
          </Button>
        ) : null}
        <Button size="sm" variant="ghost" onClick={() => onDecide("dont_know")} aria-label={`Don't know: ${item.what}`}>
          Don't know <kbd className="text-slate-400">d</kbd>
        </Button>
        <Button size="sm" variant="ghost" onClick={onDelegate} aria-label={`Delegate ${item.what}`}>
          Delegate
        </Button>
      </div>
    </li>
  );
}
