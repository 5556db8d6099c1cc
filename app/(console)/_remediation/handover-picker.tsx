"use client";

import { useEffect, useRef, useState } from "react";
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

  // Searching from the input's change handler (not an effect on `query`): one search per pause in typing.
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const changeQuery = (value: string) => {
    setQuery(value);
    clearTimeout(timer.current);
    const q = value.trim();
    if (q.length < 2) return;
    timer.current = setTimeout(() => search.run({ q }, (found) => setOptions(found)), 250);
  };

  return (
    <div className="w-full max-w-md rounded-md border border-indigo-200 bg-indigo-50/40 p-3 text-left">
      <label className="block text-xs font-medium text-slate-700">
        New owner
        <input
          type="search"
          value={query}
          onChange={(e) => changeQuery(e.target.value)}
          placeholder={defaultOwner ? `${defaultOwner.name} (manager) — or search by name` : "Search by name"}
          className="mt-0.5 block h-8 w-full rounded-md border border-slate-300 bg-white px-2 text-sm"
          aria-label="Search for the new owner"
        />
      </label>
      {/* One choice among several: native radio buttons give the group its semantics and arrow-key navigation. */}
      <fieldset className="mt-2 max-h-40 min-w-0 overflow-y-auto rounded border border-slate-200 bg-white">
        <legend className="sr-only">People</legend>
        {options.map((o) => (
          <label
            key={o.id}
            className={`flex w-full cursor-pointer items-center justify-between gap-2 px-2 py-1.5 text-left text-sm hover:bg-slate-50 ${chosen?.id === o.id ? "bg-indigo-50 font-medium" : ""}`}
          >
            <span className="flex items-center gap-2">
              <input
                type="radio"
                name={`handover-owner-${taskId}`}
                value={o.id}
                checked={chosen?.id === o.id}
                onChange={() => setChosen(o)}
                className="accent-indigo-600"
              />
              {o.name}
            </span>
            <span className="text-xs text-slate-500">
              {o.id === defaultOwner?.id ? "manager" : (o.department ?? "")}
            </span>
          </label>
        ))}
        {options.length === 0 ? (
          <p className="px-2 py-1.5 text-xs text-slate-500">
            {search.pending ? "Searching…" : "Type a name to search."}
          </p>
        ) : null}
      </fieldset>
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
