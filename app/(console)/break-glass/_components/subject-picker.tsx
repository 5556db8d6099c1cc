"use client";

import { Search, X } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { StrengthBadge } from "@/components/ui/strength-badge";
import { useAction } from "@/components/ui/use-action";
import type { RecoverySubject } from "@/lib/break-glass/queries";
import { searchRecoverySubjectsAction } from "../actions";
import { field } from "./decide-panels";

/** Finds the locked-out person by name or email (active people only), with the strength their recovery keeps. */
export function SubjectPicker({
  value,
  onChange,
  exclude,
}: {
  value: RecoverySubject | null;
  onChange: (s: RecoverySubject | null) => void;
  exclude: number;
}) {
  const [q, setQ] = useState("");
  const search = useAction(searchRecoverySubjectsAction, { refresh: false });
  // biome-ignore lint/correctness/useExhaustiveDependencies: searching follows the text only (the action is stable)
  useEffect(() => {
    if (q.trim().length < 2) return;
    const t = setTimeout(() => void search.run({ q: q.trim() }), 200);
    return () => clearTimeout(t);
  }, [q]);
  if (value)
    return (
      <div className="mt-1 flex items-center justify-between gap-2 rounded-md border border-slate-300 bg-white px-3 py-2">
        <div>
          <p className="text-sm font-medium text-slate-900">{value.name}</p>
          <p className="text-xs text-slate-500">
            {[value.title, value.department, value.email].filter(Boolean).join(" · ")}
          </p>
        </div>
        <span className="flex items-center gap-2">
          <StrengthBadge strength={value.strength} />
          <Button size="sm" variant="ghost" onClick={() => onChange(null)} aria-label="Choose someone else">
            <X className="size-3.5" aria-hidden />
          </Button>
        </span>
      </div>
    );
  const results = q.trim().length >= 2 ? (search.result ?? []).filter((p) => p.id !== exclude) : [];
  return (
    <div className="mt-1">
      <div className="relative">
        <Search
          className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-slate-400"
          aria-hidden
        />
        <input
          type="search"
          className={`${field} mt-0 pl-8`}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Name or email of the locked-out person"
          aria-label="Search people"
        />
      </div>
      {q.trim().length >= 2 ? (
        <ul
          className="mt-1 max-h-56 overflow-y-auto rounded-md border border-slate-200 bg-white"
          aria-label="People found"
        >
          {search.pending && results.length === 0 ? (
            <li className="px-3 py-2 text-xs text-slate-500">Searching…</li>
          ) : null}
          {!search.pending && results.length === 0 ? (
            <li className="px-3 py-2 text-xs text-slate-500">
              {search.error ?? "No active person matches. Leavers and disabled people cannot be recovered."}
            </li>
          ) : null}
          {results.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="flex w-full items-center justify-between gap-2 px-3 py-1.5 text-left hover:bg-indigo-50"
                onClick={() => onChange(p)}
              >
                <span>
                  <span className="text-sm text-slate-900">{p.name}</span>{" "}
                  <span className="text-xs text-slate-500">{[p.title, p.department].filter(Boolean).join(" · ")}</span>
                </span>
                <StrengthBadge strength={p.strength} compact />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
