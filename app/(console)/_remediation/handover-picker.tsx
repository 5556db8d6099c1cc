"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { handoverAction, searchOwnersAction } from "./actions";

type Owner = { id: number; name: string; department?: string | null };

/** Picks the new accountable owner of a leaver's non-human identity: the manager by default, or anyone active. */
export function HandoverPicker({
  taskId,
  defaultOwner,
  onDone,
}: {
  taskId: number;
  defaultOwner: Owner | null;
  onDone: () => void;
}) {
  const [query, setQuery] = useState("");
  const [options, setOptions] = useState<Owner[]>(defaultOwner ? [defaultOwner] : []);
  const [chosen, setChosen] = useState<Owner | null>(defaultOwner);
  const search = useAction(searchOwnersAction, { refresh: false });
  const handover = useAction(handoverAction);

  useEffect(() => {
    if (query.trim().length < 2) return;
    const t = setTimeout(() => {
      search.run({ q: query.trim() }, (found) => setOptions(found));
    }, 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  return (
    <div className="w-full max-w-md rounded-md border border-indigo-200 bg-indigo-50/40 p-3 text-left">
      <label className="block text-xs font-medium text-slate-700">
        New owner
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={defaultOwner ? `${defaultOwner.name} (manager) — or search by name` : "Search by name"}
          className="mt-0.5 block h-8 w-full rounded-md border border-slate-300 bg-white px-2 text-sm"
          aria-label="Search for the new owner"
        />
      </label>
      <ul
        className="mt-2 max-h-40 overflow-y-auto rounded border border-slate-200 bg-white"
        role="listbox"
        aria-label="People"
      >
        {options.map((o) => (
          <li key={o.id}>
            <button
              type="button"
              role="option"
              aria-selected={chosen?.id === o.id}
              onClick={() => setChosen(o)}
              className={`flex w-full items-center justify-between px-2 py-1.5 text-left text-sm hover:bg-slate-50 ${chosen?.id === o.id ? "bg-indigo-50 font-medium" : ""}`}
            >
              <span>{o.name}</span>
              <span className="text-xs text-slate-500">
                {o.id === defaultOwner?.id ? "manager" : (o.department ?? "")}
              </span>
            </button>
          </li>
        ))}
        {options.length === 0 ? (
          <li className="px-2 py-1.5 text-xs text-slate-500">
            {search.pending ? "Searching…" : "Type a name to search."}
          </li>
        ) : null}
      </ul>
      {handover.error ? (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {handover.error}
        </p>
      ) : null}
      <div className="mt-2 flex justify-end gap-2">
        <Button size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button
          size="sm"
          variant="primary"
          disabled={!chosen || handover.pending}
          onClick={() => chosen && handover.run({ taskId, newOwnerId: chosen.id }, onDone)}
        >
          {chosen ? `Hand over to ${chosen.name}` : "Choose a new owner"}
        </Button>
      </div>
    </div>
  );
}
