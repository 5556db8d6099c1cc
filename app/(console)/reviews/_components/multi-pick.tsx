"use client";

import { Search, X } from "lucide-react";
import { useId, useMemo, useState } from "react";

export type PickOption = { id: number; name: string; hint?: string | null; badge?: string | null };

const SHOWN = 60;

/**
 * A searchable multi-select: the chosen options as removable chips, then the options that match the search as check
 * boxes (the first 60; the search narrows the rest). With `needsSearch`, nothing is listed until the viewer types
 * (for long lists such as every entitlement of every system).
 */
export function MultiPick({
  legend,
  help,
  options,
  value,
  onChange,
  needsSearch = false,
  error,
}: {
  legend: string;
  help?: string;
  options: PickOption[];
  value: number[];
  onChange: (ids: number[]) => void;
  needsSearch?: boolean;
  error?: string;
}) {
  const [q, setQ] = useState("");
  const searchId = useId();
  const byId = useMemo(() => new Map(options.map((o) => [o.id, o])), [options]);
  const term = q.trim().toLowerCase();
  const matches = useMemo(
    () =>
      needsSearch && term.length < 2
        ? []
        : options.filter((o) => !term || o.name.toLowerCase().includes(term) || o.hint?.toLowerCase().includes(term)),
    [options, term, needsSearch],
  );
  const toggle = (id: number, on: boolean) => onChange(on ? [...value, id] : value.filter((v) => v !== id));
  return (
    <fieldset className="min-w-0">
      <legend className="text-xs font-medium text-slate-700">{legend}</legend>
      {help ? <p className="text-[11px] text-slate-500">{help}</p> : null}
      {value.length ? (
        <ul className="mt-1 flex flex-wrap gap-1" aria-label={`Chosen ${legend.toLowerCase()}`}>
          {value.map((id) => (
            <li
              key={id}
              className="flex items-center gap-1 rounded-md bg-indigo-50 py-0.5 pr-1 pl-2 text-xs text-indigo-900 ring-1 ring-indigo-200"
            >
              {byId.get(id)?.name ?? `#${id}`}
              <button
                type="button"
                className="rounded p-0.5 hover:bg-indigo-100"
                onClick={() => toggle(id, false)}
                aria-label={`Remove ${byId.get(id)?.name ?? id}`}
              >
                <X className="size-3" aria-hidden />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <label htmlFor={searchId} className="sr-only">
        Search {legend.toLowerCase()}
      </label>
      <div className="relative mt-1">
        <Search
          className="pointer-events-none absolute top-1/2 left-2 size-3.5 -translate-y-1/2 text-slate-400"
          aria-hidden
        />
        <input
          id={searchId}
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={needsSearch ? "Type two letters to search" : "Filter"}
          className="h-8 w-full rounded-md border border-slate-300 bg-white pr-2 pl-7 text-sm placeholder:text-slate-400 focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none"
        />
      </div>
      {matches.length ? (
        <div className="mt-1 max-h-40 overflow-y-auto rounded-md border border-slate-200 bg-white px-2 py-1">
          {matches.slice(0, SHOWN).map((o) => (
            <label key={o.id} className="flex items-center gap-2 py-0.5 text-sm">
              <input
                type="checkbox"
                className="size-3.5 rounded border-slate-300"
                checked={value.includes(o.id)}
                onChange={(e) => toggle(o.id, e.target.checked)}
              />
              <span className={o.hint ? "max-w-[75%] shrink-0 truncate" : "min-w-0 truncate"} title={o.name}>
                {o.name}
              </span>
              {o.badge ? (
                <span className="shrink-0 rounded bg-amber-50 px-1 text-[10px] font-medium text-amber-800">
                  {o.badge}
                </span>
              ) : null}
              {o.hint ? <span className="min-w-0 truncate text-xs text-slate-500">{o.hint}</span> : null}
            </label>
          ))}
          {matches.length > SHOWN ? (
            <p className="py-0.5 text-xs text-slate-500">{matches.length - SHOWN} more — type to narrow the list</p>
          ) : null}
        </div>
      ) : term.length >= 2 ? (
        <p className="mt-1 text-xs text-slate-500">Nothing matches “{q.trim()}”.</p>
      ) : null}
      {error ? <p className="mt-1 text-xs text-red-700">{error}</p> : null}
    </fieldset>
  );
}
