"use client";

import { UserMinus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { startOffboardingAction } from "../../../leavers/actions";

const REASONS = [
  ["involuntary", "Involuntary (SLA 1 h)"],
  ["layoff", "Layoff (SLA 4 h)"],
  ["voluntary", "Voluntary (end of last day)"],
  ["contract_end", "Contract end (end of last day)"],
] as const;

/**
 * "Start offboarding": opens a leaver case for this person through the same domain function as the HR
 * import. They lose console access at once; the case page takes over from there.
 */
export function StartOffboarding({ identityId, name }: { identityId: number; name: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const start = useAction(startOffboardingAction, { refresh: false });
  if (!open) {
    return (
      <Button variant="danger" onClick={() => setOpen(true)}>
        <UserMinus className="size-4" aria-hidden /> Start offboarding
      </Button>
    );
  }
  return (
    <form
      aria-label={`Start offboarding ${name}`}
      className="flex w-full max-w-xl flex-wrap items-end gap-2 rounded-lg border border-red-200 bg-red-50/60 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const local = String(f.get("effectiveAt") ?? "");
        start.run(
          {
            identityId,
            reason: String(f.get("reason")) as (typeof REASONS)[number][0],
            // datetime-local has no zone: read it in the browser's zone and send an instant.
            effectiveAt: local ? new Date(local).toISOString() : undefined,
            lastDay: String(f.get("lastDay") ?? "") || undefined,
          },
          (d) => (d.caseId ? router.push(`/leavers/${d.caseId}`) : setMessage(d.message)),
        );
      }}
    >
      <label className="flex flex-col text-xs font-medium text-slate-700">
        Reason
        <select
          name="reason"
          defaultValue="involuntary"
          className="mt-0.5 h-9 rounded-md border border-slate-300 bg-white px-2 text-sm"
        >
          {REASONS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-700">
        Effective (empty: end of the last day if voluntary, else now)
        <input
          type="datetime-local"
          name="effectiveAt"
          className="mt-0.5 h-9 rounded-md border border-slate-300 bg-white px-2 text-sm"
        />
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-700">
        Last day
        <input
          type="date"
          name="lastDay"
          className="mt-0.5 h-9 rounded-md border border-slate-300 bg-white px-2 text-sm"
        />
      </label>
      <div className="flex gap-2">
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
        <Button variant="danger" type="submit" disabled={start.pending}>
          {start.pending ? "Opening…" : "Open leaver case"}
        </Button>
      </div>
      <p className="w-full text-xs text-slate-600">
        {name} loses console access immediately; one revocation task is created per thing they hold.
      </p>
      {start.error || message ? (
        <p role="alert" className="w-full text-xs text-red-700">
          {start.error ?? message}
        </p>
      ) : null}
    </form>
  );
}
