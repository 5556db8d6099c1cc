"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Fragment, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import type { InboxEntry } from "@/lib/reviews/inbox-dto";
import { bulkRefusal, type Decision, justificationRequired } from "@/lib/reviews/rules";
import { formatDate, formatRelative } from "@/lib/time";
import { decideItemsAction, delegateItemsAction } from "../../actions";
import { ItemRow } from "./item-row";
import { DelegatePanel, JustifyPanel, KeysHelp, ReducePanel } from "./panels";

type CampaignTab = {
  id: number;
  name: string;
  kind: "access" | "api_scope";
  dueAt: string;
  items: number;
  open: number;
  privilegedOpen: number;
  remindedAt: string | null;
  escalated: boolean;
};

type Panel =
  | { type: "justify"; id: number; reason: string }
  | { type: "reduce"; id: number }
  | { type: "delegate"; ids: number[] }
  | null;

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));

/**
 * The reviewer's inbox, built for speed: j/k move, a keep, r revoke, e reduce, d don't know, x select, Shift+A/R decide
 * the selection, ? the keys. A decision shows at once and rolls back, visibly, when the server refuses it (the server
 * re-checks every rule: separation of duties, justifications, bulk guardrails).
 */
export function Inbox(props: {
  campaigns: CampaignTab[];
  campaignId: number;
  show: "open" | "decided" | "all";
  first: InboxEntry[];
  next: string | null;
  tz: string;
  now: string;
  meId: number;
}) {
  const router = useRouter();
  const now = useMemo(() => new Date(props.now), [props.now]);
  const [items, setItems] = useState(props.first);
  const [next, setNext] = useState(props.next);
  const [focus, setFocus] = useState(0);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [pending, setPending] = useState<Set<number>>(new Set());
  const [panel, setPanel] = useState<Panel>(null);
  const [help, setHelp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const campaign = props.campaigns.find((c) => c.id === props.campaignId)!;
  const decidedHere = items.filter((i) => i.decision && i.decision !== "dont_know").length;
  const decidedBefore = props.first.filter((i) => i.decision && i.decision !== "dont_know").length;
  const done = Math.min(campaign.items, campaign.items - campaign.open + decidedHere - decidedBefore);
  const pct = campaign.items ? Math.round((100 * done) / campaign.items) : 0;
  const listRef = useRef<HTMLUListElement>(null);

  const loadMore = useCallback(async () => {
    if (!next || loading) return;
    setLoading(true);
    try {
      const q = new URLSearchParams({ campaign: String(props.campaignId), show: props.show, after: next });
      const res = await fetch(`/api/reviews/inbox?${q}`);
      if (!res.ok) throw new Error((await res.json().catch(() => null))?.message ?? "Could not load more items.");
      const page = (await res.json()) as { items: InboxEntry[]; next: string | null };
      setItems((xs) => [...xs, ...page.items]);
      setNext(page.next);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [next, loading, props.campaignId, props.show]);

  /** Shows the decision at once; on refusal puts the items back as they were and says why. */
  const decide = useCallback(
    async (ids: number[], decision: Decision, extra: { justification?: string; keepScopes?: string[] } = {}) => {
      const before = new Map(items.filter((i) => ids.includes(i.id)).map((i) => [i.id, i]));
      setError(null);
      setNotice(null);
      setPending((p) => new Set([...p, ...ids]));
      setItems((xs) =>
        xs.map((i) =>
          ids.includes(i.id)
            ? {
                ...i,
                decision,
                decisionSource: ids.length > 1 ? "bulk" : "reviewer",
                justification: extra.justification ?? null,
                keptScopes: extra.keepScopes ?? null,
              }
            : i,
        ),
      );
      const res = await decideItemsAction({ itemIds: ids, decision, ...extra });
      setPending((p) => new Set([...p].filter((id) => !ids.includes(id))));
      if (!res.ok) {
        setItems((xs) => xs.map((i) => before.get(i.id) ?? i));
        setError(res.message);
        return false;
      }
      if (res.data.movedToNextStage) {
        setItems((xs) => xs.filter((i) => !(ids.includes(i.id) && decision === "dont_know")));
        setNotice("Sent to the system's owner for the second stage.");
      }
      setSelected((s) => new Set([...s].filter((id) => !ids.includes(id))));
      return true;
    },
    [items],
  );

  /** A single decision, asking for a justification first when the rules need one; then on to the next open item. */
  const decideOne = useCallback(
    async (index: number, decision: Decision) => {
      const item = items[index];
      if (!item) return;
      if (decision === "reduce") return setPanel({ type: "reduce", id: item.id });
      const need = justificationRequired(item, decision);
      if (need) return setPanel({ type: "justify", id: item.id, reason: need });
      if (await decide([item.id], decision)) {
        const after = items.findIndex((i, k) => k > index && !i.decision);
        setFocus(after >= 0 ? after : Math.min(index + 1, items.length - 1));
      }
    },
    [items, decide],
  );

  const decideSelected = useCallback(
    (decision: Decision) => {
      const chosen = items.filter((i) => selected.has(i.id));
      if (chosen.length === 0) return setError("Select items first (x, or the check boxes).");
      const refusal = bulkRefusal(chosen, decision);
      if (refusal) return setError(refusal);
      void decide(
        chosen.map((i) => i.id),
        decision,
      );
    },
    [items, selected, decide],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === "Escape") {
        setPanel(null);
        setHelp(false);
        return;
      }
      if (panel) return;
      const item = items[focus];
      switch (e.key) {
        case "j":
        case "ArrowDown":
          setFocus((f) => Math.min(f + 1, items.length - 1));
          break;
        case "k":
        case "ArrowUp":
          setFocus((f) => Math.max(f - 1, 0));
          break;
        case "a":
          void decideOne(focus, "keep");
          break;
        case "r":
          void decideOne(focus, "revoke");
          break;
        case "d":
          void decideOne(focus, "dont_know");
          break;
        case "e":
          if (item?.kind === "api_scope" && item.scopes.length > 1) setPanel({ type: "reduce", id: item.id });
          break;
        case "x":
          if (item)
            setSelected((s) => {
              const n = new Set(s);
              if (!n.delete(item.id)) n.add(item.id);
              return n;
            });
          break;
        case "A":
          decideSelected("keep");
          break;
        case "R":
          decideSelected("revoke");
          break;
        case "?":
          setHelp((h) => !h);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [items, focus, panel, decideOne, decideSelected]);

  // Keep the focused item in view, and fetch the next page when the focus reaches the last one.
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${focus}"]`)?.scrollIntoView({ block: "nearest" });
    if (focus >= items.length - 1) void loadMore();
  }, [focus, items.length, loadMore]);

  const panelItem = panel && panel.type !== "delegate" ? items.find((i) => i.id === panel.id) : null;
  let lastSubject = -1;

  return (
    <div className="flex flex-col gap-4">
      <Card className="p-4">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
            Campaign
            <select
              className="h-9 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900"
              value={props.campaignId}
              onChange={(e) => router.push(`/reviews/inbox?campaign=${e.target.value}`)}
            >
              {props.campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} — {c.open} open
                </option>
              ))}
            </select>
          </label>
          <div className="min-w-64 flex-1">
            <div className="mb-1 flex justify-between text-xs text-slate-600">
              <span data-testid="inbox-progress">
                {done} of {campaign.items} decided
              </span>
              <span>
                due {formatDate(campaign.dueAt, props.tz)} ({formatRelative(campaign.dueAt, now)})
                {new Date(campaign.dueAt) < now ? (
                  <Badge tone="danger" className="ml-1">
                    overdue
                  </Badge>
                ) : null}
              </span>
            </div>
            <div
              className="h-2 rounded bg-slate-200"
              role="progressbar"
              aria-valuenow={pct}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-label="Decided"
            >
              <div className="h-2 rounded bg-indigo-600" style={{ width: `${pct}%` }} />
            </div>
          </div>
          <nav className="flex gap-1 text-sm" aria-label="Show">
            {(["open", "decided", "all"] as const).map((s) => (
              <Link
                key={s}
                href={`/reviews/inbox?campaign=${props.campaignId}&show=${s}`}
                className={cn(
                  "rounded-md px-2.5 py-1",
                  props.show === s ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100",
                )}
              >
                {s === "open" ? "To decide" : s === "decided" ? "Decided" : "All"}
              </Link>
            ))}
          </nav>
        </div>
        {campaign.remindedAt || campaign.escalated ? (
          <p className="mt-2 text-xs text-amber-800">
            {campaign.escalated ? "Some items were escalated to you because their reviewer did not answer. " : null}
            {campaign.remindedAt ? `Reminder sent ${formatRelative(campaign.remindedAt, now)}.` : null}
          </p>
        ) : null}
      </Card>

      <div className="flex flex-wrap items-center gap-2" aria-live="polite">
        <span className="text-sm text-slate-600">{selected.size} selected</span>
        <Button size="sm" onClick={() => decideSelected("keep")} disabled={selected.size === 0}>
          Keep selected <kbd className="text-slate-400">⇧A</kbd>
        </Button>
        <Button size="sm" variant="danger" onClick={() => decideSelected("revoke")} disabled={selected.size === 0}>
          Revoke selected <kbd className="text-red-200">⇧R</kbd>
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => setPanel({ type: "delegate", ids: [...selected] })}
          disabled={selected.size === 0}
        >
          Delegate selected
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setHelp((h) => !h)} aria-expanded={help}>
          Keys <kbd className="text-slate-400">?</kbd>
        </Button>
        {notice ? <span className="text-sm text-emerald-800">{notice}</span> : null}
      </div>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-600/20">
          {error}
        </p>
      ) : null}
      {help ? <KeysHelp onClose={() => setHelp(false)} /> : null}
      {panel?.type === "justify" && panelItem ? (
        <JustifyPanel
          item={panelItem}
          reason={panel.reason}
          onCancel={() => setPanel(null)}
          onSubmit={async (justification) => {
            setPanel(null);
            await decide([panelItem.id], "keep", { justification });
          }}
        />
      ) : null}
      {panel?.type === "reduce" && panelItem ? (
        <ReducePanel
          item={panelItem}
          onCancel={() => setPanel(null)}
          onSubmit={async (keepScopes) => {
            setPanel(null);
            await decide([panelItem.id], "reduce", { keepScopes });
          }}
        />
      ) : null}
      {panel?.type === "delegate" ? (
        <DelegatePanel
          count={panel.ids.length}
          onCancel={() => setPanel(null)}
          onSubmit={async (toId, name) => {
            const ids = panel.ids;
            setPanel(null);
            const res = await delegateItemsAction({ itemIds: ids, toId });
            if (!res.ok) return setError(res.message);
            setItems((xs) => xs.filter((i) => !ids.includes(i.id)));
            setSelected(new Set());
            setNotice(`Delegated ${ids.length} item${ids.length === 1 ? "" : "s"} to ${name}.`);
          }}
        />
      ) : null}

      <Card>
        {items.length === 0 ? (
          <EmptyState title={props.show === "open" ? "All decided — thank you" : "Nothing here"}>
            {props.show === "open"
              ? "Every item of this campaign has your decision. You can still change one until it closes."
              : null}
          </EmptyState>
        ) : (
          <ul ref={listRef} className="divide-y divide-slate-100" aria-label="Items to review">
            {items.map((item, index) => {
              const header = item.subject.id !== lastSubject;
              lastSubject = item.subject.id;
              return (
                <Fragment key={item.id}>
                  {header ? (
                    <li className="bg-slate-50 px-4 py-1.5 text-xs font-semibold text-slate-700" aria-hidden>
                      {item.subject.name}
                      <span className="font-normal text-slate-500">
                        {[item.subject.title, item.subject.department].filter(Boolean).length
                          ? ` · ${[item.subject.title, item.subject.department].filter(Boolean).join(" · ")}`
                          : ""}
                      </span>
                    </li>
                  ) : null}
                  <ItemRow
                    index={index}
                    item={item}
                    focused={index === focus}
                    selected={selected.has(item.id)}
                    pending={pending.has(item.id)}
                    tz={props.tz}
                    now={now}
                    onFocus={() => setFocus(index)}
                    onToggle={() =>
                      setSelected((s) => {
                        const n = new Set(s);
                        if (!n.delete(item.id)) n.add(item.id);
                        return n;
                      })
                    }
                    onDecide={(d) => {
                      setFocus(index);
                      void decideOne(index, d);
                    }}
                    onReduce={() => setPanel({ type: "reduce", id: item.id })}
                    onDelegate={() => setPanel({ type: "delegate", ids: [item.id] })}
                  />
                </Fragment>
              );
            })}
          </ul>
        )}
        {next ? (
          <div className="border-t border-slate-100 px-4 py-2 text-center">
            <Button size="sm" variant="ghost" onClick={() => void loadMore()} disabled={loading}>
              {loading ? "Loading…" : "Load more"}
            </Button>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
