"use client";

import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
} from "@simplewebauthn/browser";
import { Fingerprint, KeyRound } from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { type Assurance, describeAssurance } from "@/lib/authz/assurance";
import type { ActionResult } from "@/lib/edge/core";
import { ceremonyError } from "./ceremony-error";
import { StepUpContext } from "./use-step-up";

/** The console's step-up actions (app/(console)/_step-up/actions.ts), handed down by the layout. */
type Ceremony = {
  begin: (
    input: Record<string, never>,
  ) => Promise<ActionResult<{ challengeId: string | null; options: PublicKeyCredentialRequestOptionsJSON | null }>>;
  finish: (input: { challengeId: string; response: AuthenticationResponseJSON }) => Promise<ActionResult<unknown>>;
};

type Request = { need: Assurance; reason: string; resolve: (steppedUp: boolean) => void };
type Phase =
  | { kind: "loading" }
  | { kind: "ready"; challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }
  | { kind: "working" }
  | { kind: "no-passkey" }
  | { kind: "error"; message: string };

/**
 * Wraps the console so any page can ask for a step-up (useStepUp). The dialog explains what the action needs,
 * runs the passkey assertion when the person says so (a click: Safari allows WebAuthn only on a user gesture),
 * and resolves the waiting call: true once the session records the step-up, false if cancelled.
 */
export function StepUpProvider({ children, ...ceremony }: Ceremony & { children: React.ReactNode }) {
  const [request, setRequest] = useState<Request | null>(null);
  const ask = useCallback(
    (need: Assurance, reason: string) => new Promise<boolean>((resolve) => setRequest({ need, reason, resolve })),
    [],
  );
  const close = (steppedUp: boolean) => {
    request?.resolve(steppedUp);
    setRequest(null);
  };
  return (
    <StepUpContext.Provider value={ask}>
      {children}
      {request ? <StepUpDialog request={request} ceremony={ceremony} onClose={close} /> : null}
    </StepUpContext.Provider>
  );
}

function StepUpDialog({
  request,
  ceremony,
  onClose,
}: {
  request: Request;
  ceremony: Ceremony;
  onClose: (steppedUp: boolean) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  // The layout may re-render with new action references while the dialog is open: keep one ceremony per opening.
  const actions = useRef(ceremony);
  actions.current = ceremony;

  const prepare = useCallback(async () => {
    setPhase({ kind: "loading" });
    const res = await actions.current.begin({});
    if (!res.ok) setPhase({ kind: "error", message: res.message });
    else if (!res.data.challengeId || !res.data.options) setPhase({ kind: "no-passkey" });
    else setPhase({ kind: "ready", challengeId: res.data.challengeId, options: res.data.options });
  }, []);

  useEffect(() => {
    if (ref.current && !ref.current.open) ref.current.showModal();
    void prepare();
  }, [prepare]);

  async function assert(challengeId: string, options: PublicKeyCredentialRequestOptionsJSON) {
    setPhase({ kind: "working" });
    let response: AuthenticationResponseJSON;
    try {
      response = await startAuthentication({ optionsJSON: options });
    } catch (err) {
      setPhase({ kind: "error", message: ceremonyError(err) });
      return;
    }
    const res = await actions.current.finish({ challengeId, response });
    if (res.ok) onClose(true);
    else setPhase({ kind: "error", message: res.message });
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby="step-up-title"
      aria-describedby="step-up-why"
      onCancel={(e) => {
        e.preventDefault();
        onClose(false);
      }}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-0 shadow-xl backdrop:bg-slate-900/50"
    >
      <div className="flex gap-3 px-5 pt-5">
        <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-indigo-50 text-indigo-600">
          <Fingerprint className="size-5" aria-hidden />
        </span>
        <div className="min-w-0">
          <h2 id="step-up-title" className="text-base font-semibold text-slate-900">
            Confirm it’s you
          </h2>
          <p id="step-up-why" className="mt-1 text-sm text-slate-600">
            This action needs {describeAssurance(request.need)}. Use your passkey to confirm; you stay signed in and the
            action continues where you left it.
          </p>
        </div>
      </div>
      <div className="px-5 py-4 text-sm" aria-live="polite">
        {phase.kind === "loading" ? <p className="text-slate-500">Preparing…</p> : null}
        {phase.kind === "working" ? <p className="text-slate-500">Waiting for your passkey…</p> : null}
        {phase.kind === "no-passkey" ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
            You have no passkey yet. Enrol one in{" "}
            <Link href="/account/passkeys" className="font-medium underline" onClick={() => onClose(false)}>
              My passkeys
            </Link>
            , then try again.
          </p>
        ) : null}
        {phase.kind === "error" ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800">
            {phase.message}
          </p>
        ) : null}
      </div>
      <div className="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3">
        <Button variant="ghost" onClick={() => onClose(false)}>
          Cancel
        </Button>
        {phase.kind === "error" ? <Button onClick={() => void prepare()}>Try again</Button> : null}
        {phase.kind === "ready" ? (
          <Button variant="primary" onClick={() => void assert(phase.challengeId, phase.options)}>
            <KeyRound className="size-4" aria-hidden /> Use my passkey
          </Button>
        ) : null}
      </div>
    </dialog>
  );
}
