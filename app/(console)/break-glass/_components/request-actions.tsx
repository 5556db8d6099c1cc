"use client";

import { Ban, Check, CircleStop, ShieldX, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { useStepUp } from "@/components/step-up/use-step-up";
import { Button } from "@/components/ui/button";
import type { BreakGlassKind } from "@/lib/break-glass/rules";
import type { ActionResult } from "@/lib/edge/core";
import {
  approveBreakGlassAction,
  cancelBreakGlassAction,
  denyBreakGlassAction,
  disputeBreakGlassAction,
  endBreakGlassAction,
} from "../actions";
import { ApprovePanel, DenyPanel, FieldError, type FieldErrors, field } from "./decide-panels";
import { type IssuedPass, PassPanel } from "./pass-panel";

type Panel = null | "approve" | "deny" | "end" | "cancel";

/**
 * What the viewer may do with a request, by role and state: approve or deny (an approver who may decide it), cancel
 * (the requester, while pending), end early (the subject or an approver, while active), and "This wasn't me" (the
 * subject). The pass an approval returns is shown here once, above everything else.
 */
export function RequestActions(p: {
  requestId: number;
  kind: BreakGlassKind;
  what: string;
  subject: string;
  askedMinutes: number;
  canDecide: boolean;
  canCancel: boolean;
  canEnd: boolean;
  canDispute: boolean;
  /** What ending it early does, in words (grant removal or pass voiding). */
  endEffect: string;
  tz: string;
}) {
  const router = useRouter();
  const stepUp = useStepUp();
  const [panel, setPanel] = useState<Panel>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pass, setPass] = useState<IssuedPass | null>(null);
  const [endReason, setEndReason] = useState("");
  const dialog = useRef<HTMLDialogElement>(null);

  async function run<T>(call: () => Promise<ActionResult<T>>, done: (data: T) => void) {
    setBusy(true);
    setError(null);
    setErrors(null);
    const res = await call();
    setBusy(false);
    if (!res.ok) {
      setError(res.message);
      setErrors(res.fieldErrors ?? null);
      return;
    }
    setPanel(null);
    done(res.data);
    router.refresh();
  }

  const nothing = !p.canDecide && !p.canCancel && !p.canEnd && !p.canDispute;
  return (
    <div className="flex flex-col gap-3">
      {pass ? <PassPanel pass={pass} subject={p.subject} tz={p.tz} onDismiss={() => setPass(null)} /> : null}
      {nothing ? null : (
        <div className="flex flex-wrap gap-2">
          {p.canDecide ? (
            <>
              <Button
                variant="primary"
                onClick={() => setPanel("approve")}
                disabled={busy}
                aria-expanded={panel === "approve"}
              >
                <Check className="size-4" aria-hidden /> Approve
              </Button>
              <Button
                variant="danger"
                onClick={() => setPanel("deny")}
                disabled={busy}
                aria-expanded={panel === "deny"}
              >
                <X className="size-4" aria-hidden /> Deny
              </Button>
            </>
          ) : null}
          {p.canEnd ? (
            <Button onClick={() => setPanel("end")} disabled={busy} aria-expanded={panel === "end"}>
              <CircleStop className="size-4" aria-hidden /> End early
            </Button>
          ) : null}
          {p.canCancel ? (
            <Button variant="ghost" onClick={() => setPanel("cancel")} disabled={busy}>
              <Ban className="size-4" aria-hidden /> Cancel request
            </Button>
          ) : null}
          {p.canDispute ? (
            <Button variant="danger" onClick={() => dialog.current?.showModal()} disabled={busy}>
              <ShieldX className="size-4" aria-hidden /> This wasn't me
            </Button>
          ) : null}
        </div>
      )}
      {panel === "approve" ? (
        <ApprovePanel
          what={p.what}
          kind={p.kind}
          askedMinutes={p.askedMinutes}
          busy={busy}
          errors={errors}
          onCancel={() => setPanel(null)}
          onSubmit={(v) =>
            void run(
              () => stepUp(() => approveBreakGlassAction({ requestId: p.requestId, ...v })),
              (d) => {
                if (d.pass) setPass(d.pass);
                setNotice(
                  d.status === "pending"
                    ? `Approved: ${d.approvals} approval${d.approvals === 1 ? "" : "s"} so far.`
                    : d.status === "active"
                      ? "Approved: the policy is met, and it is active now."
                      : "Approved: the drill is complete (nothing was granted).",
                );
              },
            )
          }
        />
      ) : null}
      {panel === "deny" ? (
        <DenyPanel
          what={p.what}
          busy={busy}
          errors={errors}
          onCancel={() => setPanel(null)}
          onSubmit={(reason) =>
            void run(
              () => stepUp(() => denyBreakGlassAction({ requestId: p.requestId, reason })),
              () => setNotice("Denied: the requester and the subject are told why."),
            )
          }
        />
      ) : null}
      {panel === "end" ? (
        <form
          className="rounded-md border border-slate-300 bg-slate-50 p-3"
          onSubmit={(e) => {
            e.preventDefault();
            void run(
              () => endBreakGlassAction({ requestId: p.requestId, reason: endReason.trim() }),
              () => setNotice("Ended: it is being removed now."),
            );
          }}
        >
          <label className="block text-xs font-medium text-slate-700">
            Why end it now? {p.endEffect}
            <textarea
              rows={2}
              className={field}
              value={endReason}
              maxLength={1000}
              onChange={(e) => setEndReason(e.target.value)}
              placeholder="e.g. Incident resolved"
              // biome-ignore lint/a11y/noAutofocus: the panel opens on a click that asked for this very field
              autoFocus
            />
            <FieldError errors={errors} name="reason" />
          </label>
          <div className="mt-2 flex justify-end gap-2">
            <Button size="sm" variant="ghost" onClick={() => setPanel(null)}>
              Keep it
            </Button>
            <Button size="sm" variant="primary" type="submit" disabled={busy || endReason.trim().length < 5}>
              {busy ? "Ending…" : "End now"}
            </Button>
          </div>
        </form>
      ) : null}
      {panel === "cancel" ? (
        <div className="flex flex-wrap items-center gap-2 rounded-md border border-slate-300 bg-slate-50 p-3 text-sm">
          <span>Withdraw this request? The approvers stop seeing it.</span>
          <Button size="sm" variant="ghost" onClick={() => setPanel(null)}>
            Keep it
          </Button>
          <Button
            size="sm"
            variant="danger"
            disabled={busy}
            onClick={() =>
              void run(
                () => cancelBreakGlassAction({ requestId: p.requestId }),
                () => setNotice("Cancelled."),
              )
            }
          >
            Cancel request
          </Button>
        </div>
      ) : null}
      <dialog
        ref={dialog}
        aria-labelledby="dispute-title"
        className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="p-5">
          <h2 id="dispute-title" className="flex items-center gap-2 text-base font-semibold text-slate-900">
            <ShieldX className="size-5 text-red-600" aria-hidden /> This wasn't me
          </h2>
          <p className="mt-2 text-sm text-slate-700">
            Say so if you did not ask for this, or did not expect it. At once:
          </p>
          <ul className="mt-1 list-disc pl-5 text-sm text-slate-700">
            <li>
              {p.kind === "emergency_access"
                ? "the emergency access is removed at the system"
                : "the enrolment pass stops working, and a passkey it enrolled is removed"}
            </li>
            <li>the request is marked disputed</li>
            <li>every approver and the requester are alerted to investigate</li>
          </ul>
          <div className="mt-4 flex justify-end gap-2">
            <Button variant="ghost" onClick={() => dialog.current?.close()}>
              Go back
            </Button>
            <Button
              variant="danger"
              disabled={busy}
              onClick={() =>
                void run(
                  () => disputeBreakGlassAction({ requestId: p.requestId }),
                  (d) => {
                    dialog.current?.close();
                    setNotice(`Disputed: it was ended and ${d.alerted} people were alerted.`);
                  },
                )
              }
            >
              It wasn't me — end it now
            </Button>
          </div>
          {error ? (
            <p role="alert" className="mt-2 text-xs text-red-700">
              {error}
            </p>
          ) : null}
        </div>
      </dialog>
      {notice ? (
        <p role="status" className="text-sm text-emerald-800">
          {notice}
        </p>
      ) : null}
      {error && !errors ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-600/20">
          {error}
        </p>
      ) : null}
    </div>
  );
}
