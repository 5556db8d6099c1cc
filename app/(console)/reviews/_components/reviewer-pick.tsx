"use client";

import { useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { searchReviewersAction } from "../actions";

export type Person = { id: number; name: string };

/** The fallback reviewer: who it is now, and a search among people who may decide reviews to change it. */
export function ReviewerPick({
  value,
  onChange,
  me,
  error,
}: {
  value: Person | null;
  onChange: (p: Person) => void;
  me: Person;
  error?: string;
}) {
  const [editing, setEditing] = useState(value === null);
  const [q, setQ] = useState("");
  const search = useAction(searchReviewersAction, { refresh: false });
  const inputId = useId();
  // biome-ignore lint/correctness/useExhaustiveDependencies: searching follows the text only (the action is stable)
  useEffect(() => {
    if (q.trim().length < 2) return;
    const t = setTimeout(() => void search.run({ q: q.trim() }), 250);
    return () => clearTimeout(t);
  }, [q]);
  const results = q.trim().length >= 2 ? (search.result ?? []) : [];
  return (
    <div>
      <span className="text-xs font-medium text-slate-700">Fallback reviewer</span>
      <p className="text-[11px] text-slate-500">
        Decides items whose manager or owner is missing, has left, or is the person themselves.
      </p>
      {!editing && value ? (
        <div className="mt-1 flex items-center gap-2 text-sm">
          <span className="font-medium text-slate-900" data-testid="fallback-reviewer">
            {value.name}
            {value.id === me.id ? " (you)" : ""}
          </span>
          <Button size="sm" variant="ghost" onClick={() => setEditing(true)}>
            Change
          </Button>
        </div>
      ) : (
        <div className="mt-1">
          <label htmlFor={inputId} className="sr-only">
            Search fallback reviewer
          </label>
          <input
            id={inputId}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Name of an analyst, admin or manager"
            className="h-8 w-full rounded-md border border-slate-300 bg-white px-2 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none"
          />
          <ul className="mt-1 max-h-40 overflow-y-auto" aria-label="Matching reviewers">
            {[
              ...(value?.id === me.id || q.trim().length >= 2 ? [] : [{ ...me, title: null, department: null }]),
              ...results,
            ].map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="w-full rounded px-2 py-1 text-left text-sm hover:bg-slate-100"
                  onClick={() => {
                    onChange({ id: p.id, name: p.name });
                    setEditing(false);
                    setQ("");
                  }}
                >
                  {p.name}
                  {p.id === me.id ? " (you)" : ""}{" "}
                  <span className="text-xs text-slate-500">{[p.title, p.department].filter(Boolean).join(" · ")}</span>
                </button>
              </li>
            ))}
          </ul>
          {value ? (
            <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
              Keep {value.name}
            </Button>
          ) : null}
        </div>
      )}
      {error ? <p className="mt-1 text-xs text-red-700">{error}</p> : null}
    </div>
  );
}
