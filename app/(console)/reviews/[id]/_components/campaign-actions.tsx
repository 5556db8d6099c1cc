"use client";

import { BellRing, Lock, Rocket } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { type NoResponsePolicy, POLICY_LABELS } from "@/lib/reviews/rules";
import { closeCampaignAction, launchCampaignAction, nudgeReviewersAction } from "../../actions";

export type CloseOutcome = {
  policy: NoResponsePolicy;
  undecided: number;
  privilegedUndecided: number;
  /** Revoke and reduce decisions so far: each becomes a remediation task. */
  changes: number;
  rollbackDays: number;
  kind: "access" | "api_scope";
};

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** What closing does, in words, before the analyst confirms it. */
function outcomeText(o: CloseOutcome): string[] {
  const plain = o.undecided - o.privilegedUndecided;
  const lines: string[] = [];
  if (o.undecided === 0) lines.push("Every item has a decision.");
  else {
    if (plain) lines.push(`${plural(plain, "undecided item")} will be ${POLICY_LABELS[o.policy].atClose}.`);
    if (o.privilegedUndecided)
      lines.push(
        o.kind === "access"
          ? `${plural(o.privilegedUndecided, "undecided privileged grant")} will be revoked — privileged access is never kept silently; their reviewer (or you) can restore them for ${plural(o.rollbackDays, "day")}.`
          : `${plural(o.privilegedUndecided, "undecided credential")} reaching bulk-record endpoints will be revoked — they are never kept silently.`,
      );
  }
  lines.push(
    o.changes || o.policy === "revoke" || o.privilegedUndecided
      ? `Every revoke and reduction${o.changes ? ` (${plural(o.changes, "decision")} so far)` : ""} becomes a task carried out at its system and verified by re-reading it.`
      : "Nothing was decided for removal: no change is made at any system.",
  );
  lines.push("Decisions become final, and the evidence report is stamped with the audit log's head.");
  return lines;
}

/** The campaign's lifecycle buttons: launch a draft; nudge the reviewers of an active one; close it (confirmed). */
export function CampaignActions({
  campaignId,
  status,
  waiting,
  outcome,
}: {
  campaignId: number;
  status: "draft" | "active" | "closed";
  waiting: number;
  outcome: CloseOutcome;
}) {
  const launch = useAction(launchCampaignAction);
  const nudge = useAction(nudgeReviewersAction);
  const close = useAction(closeCampaignAction);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (confirming) dialog.current?.showModal();
    else dialog.current?.close();
  }, [confirming]);
  const error = launch.error ?? nudge.error;

  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap justify-end gap-2">
        {status === "draft" ? (
          <Button
            variant="primary"
            disabled={launch.pending}
            onClick={() =>
              launch.run({ campaignId }, (d) =>
                setNotice(
                  `Launched: ${plural(d.population.items, "item")} sent to ${plural(d.population.reviewers, "reviewer")}.`,
                ),
              )
            }
          >
            <Rocket className="size-4" aria-hidden /> {launch.pending ? "Launching…" : "Launch"}
          </Button>
        ) : null}
        {status === "active" ? (
          <>
            <Button
              disabled={nudge.pending || waiting === 0}
              title={waiting === 0 ? "Every reviewer has decided" : undefined}
              onClick={() =>
                nudge.run({ campaignId }, (d) =>
                  setNotice(`Reminded ${plural(d.reviewers, "reviewer")} of ${plural(d.items, "open item")}.`),
                )
              }
            >
              <BellRing className="size-4" aria-hidden /> {nudge.pending ? "Reminding…" : "Nudge reviewers"}
            </Button>
            <Button variant="danger" onClick={() => setConfirming(true)}>
              <Lock className="size-4" aria-hidden /> Close campaign
            </Button>
          </>
        ) : null}
      </div>
      <p role="status" className="min-h-4 text-xs text-emerald-700">
        {notice}
      </p>
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
      <dialog
        ref={dialog}
        aria-labelledby="close-title"
        onClose={() => setConfirming(false)}
        className="m-auto w-full max-w-lg rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="px-5 py-4">
          <h2 id="close-title" className="text-base font-semibold text-slate-900">
            Close the campaign?
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            No-response policy: <strong>{POLICY_LABELS[outcome.policy].label}</strong> —{" "}
            {POLICY_LABELS[outcome.policy].help}
          </p>
          <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-800" data-testid="close-outcome">
            {outcomeText(outcome).map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
          {close.error ? (
            <p role="alert" className="mt-3 text-sm text-red-700">
              {close.error}
            </p>
          ) : null}
        </div>
        <div className="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3">
          <Button variant="ghost" onClick={() => setConfirming(false)} disabled={close.pending}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={close.pending}
            onClick={() =>
              close.run({ campaignId }, (d) => {
                setConfirming(false);
                setNotice(
                  `Closed: ${plural(d.noResponse, "item")} followed the no-response policy; ${plural(d.tasks, "change")} queued at the systems.`,
                );
              })
            }
          >
            <Lock className="size-4" aria-hidden /> {close.pending ? "Closing…" : "Close campaign"}
          </Button>
        </div>
      </dialog>
    </div>
  );
}
