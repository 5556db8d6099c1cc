"use client";

import { Check, CornerDownLeft, X } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { useStepUp } from "@/components/step-up/use-step-up";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { approvalsQueue } from "@/lib/break-glass/queries";
import { REASON_LABELS } from "@/lib/break-glass/rules";
import { approveBreakGlassAction, denyBreakGlassAction } from "../actions";
import { minutesLabel, WhatAsked } from "./bits";
import { Countdown } from "./countdown";
import { ApprovePanel, type ApproveValues, DenyPanel, type FieldErrors } from "./decide-panels";
import { type IssuedPass, PassPanel } from "./pass-panel";

type Row = Awaited<ReturnType<typeof approvalsQueue>>[number];
export type QueueEntry = Omit<Row, "createdAt" | "requestExpiresAt"> & { createdAt: string; requestExpiresAt: string };

/** What this approver did here: shown at once, rolled back if the server refuses. */
type Local = { decision: "approve" | "deny"; pending: boolean; before: number; outcome?: string };
type Panel = { type: "approve" | "deny"; id: number } | null;

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));

const whatOf = (e: QueueEntry) =>
  e.kind === "emergency_access"
    ? `${e.entitlement} on ${e.system} for ${e.subject.name}`
    : `account recovery for ${e.subject.name}`;

const KEYS: [string, string][] = [
  ["j / ↓", "next request"],
  ["k / ↑", "previous request"],
  ["a", "approve (checklist for recovery; may shorten emergency access)"],
  ["d", "deny, with a reason"],
  ["Enter", "open the request"],
  ["?", "show or hide these keys"],
  ["Esc", "close a panel"],
];

/**
 * The approvers' queue, keyboard first: j/k move, a approve, d deny, Enter opens the request, ? the keys. A
 * decision shows at once and is rolled back, visibly, when the server refuses it (every rule is checked there:
 * independence, one decision per approver, the proofing checklist, the step-up).
 */
export function Queue({ entries, serverNow, tz }: { entries: QueueEntry[]; serverNow: string; tz: string }) {
  const router = useRouter();
  const stepUp = useStepUp();
  const [focus, setFocus] = useState(0);
  const [local, setLocal] = useState<Record<number, Local>>({});
  const [panel, setPanel] = useState<Panel>(null);
  const [errors, setErrors] = useState<FieldErrors>(null);
  const [error, setError] = useState<{ id: number | null; message: string } | null>(null);
  const [pass, setPass] = useState<{ pass: IssuedPass; subject: string } | null>(null);
  const [help, setHelp] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const actionable = useCallback((e: QueueEntry | undefined) => Boolean(e && !e.blocked && !local[e.id]), [local]);

  const open = useCallback(
    (type: "approve" | "deny", index: number) => {
      const e = entries[index];
      if (!e) return;
      setFocus(index);
      setErrors(null);
      if (e.blocked) return setError({ id: e.id, message: `You cannot decide #${e.id}: ${e.blocked.toLowerCase()}.` });
      if (local[e.id]) return setError({ id: e.id, message: `You have decided #${e.id} already.` });
      setError(null);
      setPanel({ type, id: e.id });
    },
    [entries, local],
  );

  const decide = useCallback(
    async (e: QueueEntry, decision: "approve" | "deny", values: ApproveValues & { reason?: string }) => {
      setError(null);
      setErrors(null);
      setLocal((l) => ({ ...l, [e.id]: { decision, pending: true, before: e.approvals } }));
      const res =
        decision === "approve"
          ? await stepUp(() =>
              approveBreakGlassAction({
                requestId: e.id,
                comment: values.comment,
                checklist: values.checklist,
                durationMinutes: values.durationMinutes,
              }),
            )
          : await stepUp(() => denyBreakGlassAction({ requestId: e.id, reason: values.reason ?? "" }));
      if (!res.ok) {
        // Roll back, say why, and keep the panel open with the field errors beside their fields.
        setLocal(({ [e.id]: _, ...rest }) => rest);
        setError({ id: e.id, message: `Not recorded — ${res.message}` });
        setErrors(res.fieldErrors ?? null);
        if (!res.fieldErrors) setPanel(null);
        return;
      }
      setPanel(null);
      let outcome = "Denied: the request has ended.";
      if ("pass" in res.data) {
        const d = res.data;
        outcome =
          d.status === "pending"
            ? `Approved: ${d.approvals} of ${e.required}.`
            : d.status === "active"
              ? "Approved: the policy is met, it is active now."
              : "Approved: the drill is complete.";
        if (d.pass) setPass({ pass: d.pass, subject: e.subject.name });
      }
      setLocal((l) => ({ ...l, [e.id]: { decision, pending: false, before: e.approvals, outcome } }));
      setNotice(`#${e.id} (${whatOf(e)}): ${outcome}`);
      const next = entries.findIndex((x, i) => i > entries.indexOf(e) && !x.blocked && !local[x.id]);
      if (next >= 0) setFocus(next);
      router.refresh();
    },
    [entries, local, router, stepUp],
  );

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (typing(ev.target) || ev.metaKey || ev.ctrlKey || ev.altKey) return;
      if (ev.key === "Escape") {
        setPanel(null);
        setHelp(false);
        return;
      }
      if (panel) return;
      switch (ev.key) {
        case "j":
        case "ArrowDown":
          setFocus((f) => Math.min(f + 1, entries.length - 1));
          break;
        case "k":
        case "ArrowUp":
          setFocus((f) => Math.max(f - 1, 0));
          break;
        case "a":
          open("approve", focus);
          break;
        case "d":
          open("deny", focus);
          break;
        case "Enter":
          if (entries[focus]) router.push(`/break-glass/${entries[focus].id}`);
          break;
        case "?":
          setHelp((h) => !h);
          break;
        default:
          return;
      }
      ev.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [entries, focus, panel, open, router]);

  // A refresh may drop requests that became active or lapsed: keep the focus on the list.
  useEffect(() => {
    if (focus > entries.length - 1) setFocus(Math.max(0, entries.length - 1));
  }, [entries.length, focus]);

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${focus}"]`)?.scrollIntoView({ block: "nearest" });
  }, [focus]);

  return (
    <div className="flex flex-col gap-3">
      {pass ? <PassPanel pass={pass.pass} subject={pass.subject} tz={tz} onDismiss={() => setPass(null)} /> : null}
      <div className="flex items-center justify-between gap-3">
        <p role="status" className="text-sm text-emerald-800">
          {notice}
        </p>
        <Button size="sm" variant="ghost" onClick={() => setHelp((h) => !h)} aria-expanded={help}>
          Keys <kbd className="text-slate-400">?</kbd>
        </Button>
      </div>
      {help ? (
        <div
          role="dialog"
          aria-label="Keyboard shortcuts"
          className="rounded-md border border-slate-200 bg-white p-3 shadow-sm"
        >
          <div className="mb-2 flex items-center justify-between">
            <h2 className="text-sm font-semibold text-slate-900">Keyboard shortcuts</h2>
            <Button size="sm" variant="ghost" onClick={() => setHelp(false)}>
              Close
            </Button>
          </div>
          <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
            {KEYS.map(([k, what]) => (
              <div key={k} className="flex gap-2">
                <dt>
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1 text-xs">{k}</kbd>
                </dt>
                <dd className="text-slate-600">{what}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
      {error && (error.id === null || !panel) ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-600/20">
          {error.message}
        </p>
      ) : null}
      <Card>
        <ul ref={listRef} className="divide-y divide-slate-100" aria-label="Requests waiting for approval">
          {entries.map((e, index) => {
            const mine = local[e.id];
            // The refreshed row already counts this approver's approval once the server has it.
            const approvals = mine?.decision === "approve" ? Math.max(e.approvals, mine.before + 1) : e.approvals;
            const focused = index === focus;
            const refused = error?.id === e.id;
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the list is driven by its keyboard shortcuts (j/k, a/d, Enter)
              <li
                key={e.id}
                data-index={index}
                data-testid="queue-row"
                data-request-id={e.id}
                data-decision={mine?.decision ?? ""}
                aria-current={focused ? "true" : undefined}
                onClick={() => setFocus(index)}
                className={cn(
                  "border-l-4 px-4 py-3",
                  focused ? "border-indigo-500 bg-indigo-50/40" : "border-transparent",
                  refused && "border-red-500 bg-red-50/50",
                  mine?.pending && "opacity-60",
                )}
              >
                <div className="flex flex-col gap-3 lg:flex-row lg:items-start">
                  <div className="min-w-0 lg:w-48 lg:shrink-0">
                    <p className="text-sm font-semibold text-slate-900">{e.subject.name}</p>
                    <p className="text-xs text-slate-500">
                      {[e.subject.title, e.subject.department].filter(Boolean).join(" · ") || "—"}
                    </p>
                    <p className={cn("mt-1 text-xs", e.earlierRequests >= 3 ? "text-amber-700" : "text-slate-500")}>
                      {e.earlierRequests === 0
                        ? "First break-glass request"
                        : `${e.earlierRequests} earlier request${e.earlierRequests === 1 ? "" : "s"}`}
                    </p>
                  </div>
                  <div className="min-w-0 flex-1">
                    <div className="text-sm">
                      <WhatAsked
                        kind={e.kind}
                        entitlement={e.entitlement}
                        system={e.system}
                        criticality={e.criticality}
                        recoveryFactor={e.recoveryFactor}
                        strengthBefore={e.strengthBefore}
                        drill={e.drill}
                      />
                    </div>
                    <p className="mt-1 text-xs text-slate-600">
                      {e.kind === "emergency_access" ? `for ${minutesLabel(e.durationMinutes)} · ` : ""}
                      {e.reasonCode !== "other" ? `${REASON_LABELS[e.reasonCode]} · ` : ""}
                      {e.ticketRef ? <span className="font-mono">{e.ticketRef} · </span> : null}
                      asked by {e.requester === e.subject.name ? "themselves" : e.requester}
                    </p>
                    <p className="mt-0.5 line-clamp-2 text-sm text-slate-800">{e.reason}</p>
                  </div>
                  <div className="flex shrink-0 flex-col gap-1 lg:w-44">
                    <Countdown until={e.requestExpiresAt} serverNow={serverNow} label="to decide" over="lapsed" />
                    <p className="text-xs text-slate-700">
                      <span className="font-medium tabular-nums">
                        {approvals} of {e.required}
                      </span>{" "}
                      approvals
                      {e.approvers.length ? (
                        <span className="block text-slate-500">{e.approvers.join(", ")}</span>
                      ) : null}
                    </p>
                  </div>
                  <div className="flex shrink-0 flex-col items-start gap-1.5 lg:w-56 lg:items-end">
                    {mine ? (
                      <Badge tone={mine.decision === "approve" ? "success" : "danger"}>
                        {mine.pending
                          ? "Recording…"
                          : (mine.outcome ?? (mine.decision === "approve" ? "Approved" : "Denied"))}
                      </Badge>
                    ) : e.blocked ? (
                      <p className="text-xs text-slate-500" data-testid="blocked">
                        Not yours to decide: {e.blocked.charAt(0).toLowerCase() + e.blocked.slice(1)}
                      </p>
                    ) : (
                      <div className="flex gap-1.5">
                        <Button
                          size="sm"
                          variant="primary"
                          onClick={() => open("approve", index)}
                          aria-label={`Approve ${whatOf(e)}`}
                        >
                          <Check className="size-3.5" aria-hidden /> Approve <kbd className="text-indigo-200">a</kbd>
                        </Button>
                        <Button
                          size="sm"
                          variant="danger"
                          onClick={() => open("deny", index)}
                          aria-label={`Deny ${whatOf(e)}`}
                        >
                          <X className="size-3.5" aria-hidden /> Deny <kbd className="text-red-200">d</kbd>
                        </Button>
                      </div>
                    )}
                    <Link
                      href={`/break-glass/${e.id}`}
                      className="inline-flex items-center gap-1 text-xs text-indigo-700 hover:underline"
                    >
                      Open #{e.id} <CornerDownLeft className="size-3" aria-hidden />
                    </Link>
                  </div>
                </div>
                {panel?.id === e.id ? (
                  <div className="mt-3">
                    {panel.type === "approve" ? (
                      <ApprovePanel
                        what={whatOf(e)}
                        kind={e.kind}
                        askedMinutes={e.durationMinutes}
                        errors={errors}
                        busy={Boolean(mine?.pending)}
                        onCancel={() => setPanel(null)}
                        onSubmit={(v) => void decide(e, "approve", v)}
                      />
                    ) : (
                      <DenyPanel
                        what={whatOf(e)}
                        errors={errors}
                        busy={Boolean(mine?.pending)}
                        onCancel={() => setPanel(null)}
                        onSubmit={(reason) => void decide(e, "deny", { reason })}
                      />
                    )}
                    {refused ? (
                      <p role="alert" className="mt-2 text-sm text-red-800">
                        {error?.message}
                      </p>
                    ) : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      </Card>
      <p className="text-xs text-slate-500">
        {entries.filter((e) => actionable(e)).length} left for you to decide on this page.
      </p>
    </div>
  );
}
