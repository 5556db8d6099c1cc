"use client";

import { Undo2 } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { formatDateTime, formatRelative } from "@/lib/time";
import { restoreItemAction } from "../actions";

export type Restorable = {
  id: number;
  subject: string;
  subjectId: number;
  what: string;
  system: string;
  reviewer: string;
  rollbackUntil: string;
  /** Shown in My reviews, where the items come from every campaign of the reviewer. */
  campaign?: string;
};

/**
 * Privileged access the no-response policy revoked, restorable until its window closes: each with a justification,
 * added back at its system as a verified remediation task. Nobody restores their own access.
 */
export function RestorePanel({
  items,
  more,
  meId,
  tz,
  now,
}: {
  items: Restorable[];
  more: number;
  meId: number | null;
  tz: string;
  now: string;
}) {
  const [open, setOpen] = useState<number | null>(null);
  const [why, setWhy] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const restore = useAction(restoreItemAction);
  return (
    <>
      <ul className="divide-y divide-slate-100" aria-label="Restorable access">
        {items.map((i) => (
          <li key={i.id} className="px-4 py-2.5" data-testid="restorable-item">
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div className="min-w-0">
                <p className="text-sm font-medium text-slate-900">
                  {i.what} <span className="font-normal text-slate-600">on {i.system}</span>
                </p>
                <p className="text-xs text-slate-500">
                  {i.campaign ? `${i.campaign} · ` : ""}
                  {i.subject} · reviewer {i.reviewer} · restorable until {formatDateTime(i.rollbackUntil, tz)} (
                  {formatRelative(i.rollbackUntil, new Date(now))})
                </p>
              </div>
              {i.subjectId === meId ? (
                <span className="text-xs text-slate-500">Your own access: its reviewer decides</span>
              ) : open === i.id ? null : (
                <Button
                  size="sm"
                  onClick={() => {
                    setOpen(i.id);
                    setWhy("");
                  }}
                  aria-label={`Restore ${i.what} for ${i.subject}`}
                >
                  <Undo2 className="size-3.5" aria-hidden /> Restore
                </Button>
              )}
            </div>
            {open === i.id ? (
              <form
                className="mt-2 rounded-md border border-indigo-200 bg-indigo-50/60 p-3"
                onSubmit={(e) => {
                  e.preventDefault();
                  void restore.run({ itemId: i.id, justification: why.trim() }, () => {
                    setOpen(null);
                    setDone(`${i.what} for ${i.subject} is being restored at ${i.system}.`);
                  });
                }}
              >
                <label className="text-xs font-medium text-slate-700">
                  Why must {i.subject} keep {i.what}?
                  <textarea
                    rows={2}
                    value={why}
                    onChange={(e) => setWhy(e.target.value)}
                    className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none"
                    placeholder="e.g. Reviewer on leave; on call for the payments platform this month"
                  />
                </label>
                {restore.fieldErrors?.justification ? (
                  <p className="mt-1 text-xs text-red-700">{restore.fieldErrors.justification[0]}</p>
                ) : restore.error ? (
                  <p role="alert" className="mt-1 text-xs text-red-700">
                    {restore.error}
                  </p>
                ) : null}
                <div className="mt-2 flex justify-end gap-2">
                  <Button size="sm" variant="ghost" onClick={() => setOpen(null)}>
                    Cancel
                  </Button>
                  <Button
                    size="sm"
                    variant="primary"
                    type="submit"
                    disabled={restore.pending || why.trim().length < 10}
                  >
                    Restore with this justification
                  </Button>
                </div>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {more > 0 ? (
        <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500">
          {more.toLocaleString("en-US")} more, soonest to expire shown first.
        </p>
      ) : null}
      {done ? (
        <p role="status" className="border-t border-slate-100 px-4 py-2 text-xs text-emerald-700">
          {done}
        </p>
      ) : null}
    </>
  );
}
