"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import type { InboxEntry } from "@/lib/reviews/inbox-dto";
import { searchReviewersAction } from "../../actions";

const box = "rounded-md border border-indigo-200 bg-indigo-50/60 p-3";
const field =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";

/** Asked for when keeping privileged access or overruling a revoke recommendation (Enter records it, Esc cancels). */
export function JustifyPanel({
  item,
  reason,
  onSubmit,
  onCancel,
}: {
  item: InboxEntry;
  reason: string;
  onSubmit: (justification: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState("");
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <form
      className={box}
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim().length >= 3) onSubmit(text.trim());
      }}
    >
      <label className="text-xs font-medium text-slate-700">
        {reason} Why keep {item.what} for {item.subject.name}?
        <textarea
          ref={ref}
          rows={2}
          className={field}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              if (text.trim().length >= 3) onSubmit(text.trim());
            }
            if (e.key === "Escape") onCancel();
          }}
          placeholder="e.g. On call for the payments platform until March"
        />
      </label>
      <div className="mt-2 flex justify-end gap-2">
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button size="sm" variant="primary" type="submit" disabled={text.trim().length < 3}>
          Keep with this justification
        </Button>
      </div>
    </form>
  );
}

/** Reduce: tick the scopes the credential keeps (the used ones are ticked to start with). */
export function ReducePanel({
  item,
  onSubmit,
  onCancel,
}: {
  item: InboxEntry;
  onSubmit: (keep: string[]) => void;
  onCancel: () => void;
}) {
  const [keep, setKeep] = useState<string[]>(item.usedScopes.length ? item.usedScopes : item.scopes.slice(0, 1));
  const valid = keep.length > 0 && keep.length < item.scopes.length;
  return (
    <form
      className={box}
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onSubmit(keep);
      }}
    >
      <fieldset>
        <legend className="text-xs font-medium text-slate-700">
          Scopes {item.what} keeps (the others are dropped at {item.system})
        </legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {item.scopes.map((s) => (
            <label key={s} className="flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                checked={keep.includes(s)}
                onChange={(e) => setKeep(e.target.checked ? [...keep, s] : keep.filter((x) => x !== s))}
              />
              <code className="text-xs">{s}</code>
              {item.usedScopes.includes(s) ? <span className="text-[11px] text-slate-500">used</span> : null}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="mt-2 flex justify-end gap-2">
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button size="sm" variant="primary" type="submit" disabled={!valid}>
          Reduce to {keep.length} scope{keep.length === 1 ? "" : "s"}
        </Button>
      </div>
    </form>
  );
}

/** Hands the chosen items to another reviewer (search by name). */
export function DelegatePanel({
  count,
  onSubmit,
  onCancel,
}: {
  count: number;
  onSubmit: (toId: number, name: string) => void;
  onCancel: () => void;
}) {
  const [q, setQ] = useState("");
  const search = useAction(searchReviewersAction, { refresh: false });
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: searching follows the text only (the action is stable)
  useEffect(() => {
    if (q.trim().length < 2) return;
    const t = setTimeout(() => void search.run({ q: q.trim() }), 200);
    return () => clearTimeout(t);
  }, [q]);
  return (
    <div className={box}>
      <label className="text-xs font-medium text-slate-700">
        Delegate {count} item{count === 1 ? "" : "s"} to
        <input
          ref={ref}
          className={field}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => e.key === "Escape" && onCancel()}
          placeholder="Name of another reviewer"
        />
      </label>
      <ul className="mt-1 max-h-40 overflow-y-auto" aria-label="Reviewers">
        {(q.trim().length >= 2 ? (search.result ?? []) : []).map((p) => (
          <li key={p.id}>
            <button
              type="button"
              className="w-full rounded px-2 py-1 text-left text-sm hover:bg-white"
              onClick={() => onSubmit(p.id, p.name)}
            >
              {p.name}{" "}
              <span className="text-xs text-slate-500">{[p.title, p.department].filter(Boolean).join(" · ")}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="mt-2 flex justify-end">
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

const KEYS: [string, string][] = [
  ["j / ↓", "next item"],
  ["k / ↑", "previous item"],
  ["a", "keep"],
  ["r", "revoke"],
  ["e", "reduce (credentials)"],
  ["d", "don't know"],
  ["x", "select or unselect"],
  ["Shift + A", "keep the selected items"],
  ["Shift + R", "revoke the selected items"],
  ["?", "show or hide these keys"],
  ["Esc", "close a panel"],
];

export function KeysHelp({ onClose }: { onClose: () => void }) {
  return (
    <div
      role="dialog"
      aria-label="Keyboard shortcuts"
      className="rounded-md border border-slate-200 bg-white p-3 shadow-sm"
    >
      <div className="mb-2 flex items-center justify-between">
        <h2 className="text-sm font-semibold text-slate-900">Keyboard shortcuts</h2>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
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
  );
}
