"use client";

import { ShieldCheck } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { type BreakGlassKind, PROOFING_LABELS, type ProofingChecklist } from "@/lib/break-glass/rules";
import { minutesLabel } from "./bits";

export const field =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";
const box = "rounded-md border border-indigo-200 bg-indigo-50/60 p-3";

export type ApproveValues = { comment?: string; checklist?: ProofingChecklist; durationMinutes?: number };
export type FieldErrors = Record<string, string[]> | null;

/** A field's error from the server's zod check, beside the field. */
export function FieldError({ errors, name }: { errors: FieldErrors; name: string }) {
  const e = errors?.[name]?.[0];
  return e ? (
    <p className="mt-1 text-xs text-red-700" role="alert">
      {e}
    </p>
  ) : null;
}

function StepUpNote() {
  return (
    <p className="flex items-center gap-1 text-[11px] text-slate-500">
      <ShieldCheck className="size-3.5" aria-hidden /> Deciding needs a passkey sign-in within the last 5 minutes.
    </p>
  );
}

/**
 * Approve: a recovery records how the person was proofed (at least one method); emergency access may be
 * shortened, never extended. Enter in the comment approves, Esc cancels.
 */
export function ApprovePanel({
  what,
  kind,
  askedMinutes,
  busy,
  errors,
  onSubmit,
  onCancel,
}: {
  what: string;
  kind: BreakGlassKind;
  askedMinutes: number;
  busy?: boolean;
  errors: FieldErrors;
  onSubmit: (v: ApproveValues) => void;
  onCancel: () => void;
}) {
  const [checklist, setChecklist] = useState<ProofingChecklist>({
    videoCallWithId: false,
    managerConfirmed: false,
    inPerson: false,
  });
  const [shorten, setShorten] = useState("");
  const [comment, setComment] = useState("");
  const first = useRef<HTMLInputElement>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => (first.current ?? commentRef.current)?.focus(), []);
  const recovery = kind === "account_recovery";
  const proofed = checklist.videoCallWithId || checklist.managerConfirmed || checklist.inPerson;
  const minutes = shorten.trim() ? Number(shorten) : undefined;
  const shortenBad = minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1 || minutes > askedMinutes);
  const ready = (!recovery || proofed) && !shortenBad && !busy;
  const submit = () => {
    if (!ready) return;
    onSubmit({
      comment: comment.trim() || undefined,
      checklist: recovery ? checklist : undefined,
      durationMinutes: !recovery && minutes !== undefined && minutes < askedMinutes ? minutes : undefined,
    });
  };
  return (
    <form
      className={box}
      aria-label={`Approve ${what}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => e.key === "Escape" && onCancel()}
    >
      <p className="text-sm font-medium text-slate-900">Approve {what}</p>
      {recovery ? (
        <fieldset className="mt-2">
          <legend className="text-xs font-medium text-slate-700">
            How did you confirm it is really them? (one at least)
          </legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {(Object.keys(PROOFING_LABELS) as (keyof ProofingChecklist)[]).map((k, i) => (
              <label key={k} className="flex items-center gap-1.5 text-sm">
                <input
                  ref={i === 0 ? first : undefined}
                  type="checkbox"
                  checked={checklist[k]}
                  onChange={(e) => setChecklist({ ...checklist, [k]: e.target.checked })}
                />
                {PROOFING_LABELS[k]}
              </label>
            ))}
          </div>
          <FieldError errors={errors} name="checklist" />
        </fieldset>
      ) : (
        <label className="mt-2 block text-xs font-medium text-slate-700">
          Shorten to (minutes, optional — asked: {minutesLabel(askedMinutes)})
          <input
            type="number"
            min={1}
            max={askedMinutes}
            step={1}
            inputMode="numeric"
            className={`${field} max-w-40`}
            value={shorten}
            onChange={(e) => setShorten(e.target.value)}
            placeholder={String(askedMinutes)}
          />
          {shortenBad ? (
            <p className="mt-1 text-xs text-red-700">Between 1 and {askedMinutes} minutes: never longer than asked.</p>
          ) : null}
          <FieldError errors={errors} name="durationMinutes" />
        </label>
      )}
      <label className="mt-2 block text-xs font-medium text-slate-700">
        Comment (optional)
        <textarea
          ref={commentRef}
          rows={2}
          className={field}
          value={comment}
          maxLength={1000}
          onChange={(e) => setComment(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              submit();
            }
          }}
          placeholder={recovery ? "e.g. Video call, badge photo matched" : "e.g. Incident confirmed in PagerDuty"}
        />
        <FieldError errors={errors} name="comment" />
      </label>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-2">
        <StepUpNote />
        <div className="flex gap-2">
          <Button size="sm" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
          <Button size="sm" variant="primary" type="submit" disabled={!ready}>
            {busy ? "Approving…" : "Approve"}
          </Button>
        </div>
      </div>
    </form>
  );
}

/** Deny: any deny ends the request, so it always says why (the requester and the subject are told). */
export function DenyPanel({
  what,
  busy,
  errors,
  onSubmit,
  onCancel,
}: {
  what: string;
  busy?: boolean;
  errors: FieldErrors;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const ok = reason.trim().length >= 5 && !busy;
  return (
    <form
      className="rounded-md border border-red-200 bg-red-50/60 p-3"
      aria-label={`Deny ${what}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (ok) onSubmit(reason.trim());
      }}
    >
      <label className="block text-xs font-medium text-slate-700">
        Why deny {what}? Any deny ends the request; the requester and the subject see your reason.
        <textarea
          ref={ref}
          rows={2}
          className={field}
          value={reason}
          maxLength={1000}
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") onCancel();
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              if (ok) onSubmit(reason.trim());
            }
          }}
          placeholder="e.g. Could not reach the person on video"
        />
        <FieldError errors={errors} name="reason" />
      </label>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-2">
        <StepUpNote />
        <div className="flex gap-2">
          <Button size="sm" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
          <Button size="sm" variant="danger" type="submit" disabled={!ok}>
            {busy ? "Denying…" : "Deny"}
          </Button>
        </div>
      </div>
    </form>
  );
}
