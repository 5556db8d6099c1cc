"use client";

import { Pencil } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { editEndpointAction } from "../../actions";

const CLASSES = ["pii", "credentials", "financial", "health", "internal", "private_messages"] as const;
type Cls = (typeof CLASSES)[number];

/** Corrects what an import guessed: bulk, records per call, data classes (credentials' blast radius follows). */
export function EndpointEditor(p: {
  endpointId: number;
  label: string;
  bulk: boolean;
  maxRecordsPerCall: number | null;
  dataClasses: Cls[];
}) {
  const [open, setOpen] = useState(false);
  const [bulk, setBulk] = useState(p.bulk);
  const [max, setMax] = useState(p.maxRecordsPerCall?.toString() ?? "");
  const [classes, setClasses] = useState<Cls[]>(p.dataClasses);
  const edit = useAction(editEndpointAction);
  if (!open) {
    return (
      <Button size="sm" variant="ghost" aria-label={`Edit ${p.label}`} onClick={() => setOpen(true)}>
        <Pencil className="size-3.5" aria-hidden /> Edit
      </Button>
    );
  }
  return (
    <form
      className="flex min-w-64 flex-col gap-1.5 rounded-md border border-slate-200 bg-slate-50 p-2 text-xs"
      onSubmit={(e) => {
        e.preventDefault();
        edit.run(
          { endpointId: p.endpointId, bulk, maxRecordsPerCall: bulk && max ? Number(max) : null, dataClasses: classes },
          () => setOpen(false),
        );
      }}
    >
      <label className="flex items-center gap-1.5">
        <input type="checkbox" checked={bulk} onChange={(e) => setBulk(e.target.checked)} /> Returns records in bulk
      </label>
      {bulk ? (
        <label className="flex items-center gap-1.5">
          Max records per call
          <input
            type="number"
            min={1}
            value={max}
            onChange={(e) => setMax(e.target.value)}
            className="w-24 rounded border border-slate-300 px-1.5 py-0.5"
          />
        </label>
      ) : null}
      <fieldset className="flex flex-wrap gap-2">
        <legend className="mb-0.5 text-slate-500">Data classes</legend>
        {CLASSES.map((c) => (
          <label key={c} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={classes.includes(c)}
              onChange={(e) => setClasses(e.target.checked ? [...classes, c] : classes.filter((x) => x !== c))}
            />{" "}
            {c}
          </label>
        ))}
      </fieldset>
      {edit.error ? (
        <p role="alert" className="text-red-700">
          {edit.error}
        </p>
      ) : null}
      <div className="flex gap-1.5">
        <Button type="submit" size="sm" variant="primary" disabled={edit.pending}>
          Save
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
