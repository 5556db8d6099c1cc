"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { KeyRound } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { ceremonyError } from "@/components/step-up/ceremony-error";
import { beginPassEnrolmentAction, finishPassEnrolmentAction } from "./actions";

/**
 * Recovery with a one-time enrolment pass: the pass opens Lockstep's own passkey enrolment for the person it was
 * issued to. Only a passkey is offered — codes by SMS, email or an app are never accepted here — and the server
 * refuses a passkey weaker than the person had before.
 */
export function PassEnrolment({ initialPass }: { initialPass: string }) {
  const [pass, setPass] = useState(initialPass);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function enrol() {
    setBusy(true);
    setError(null);
    try {
      const begun = await beginPassEnrolmentAction({ pass });
      if (!begun.ok) return setError(begun.message);
      let response: Awaited<ReturnType<typeof startRegistration>>;
      try {
        response = await startRegistration({ optionsJSON: begun.data.options });
      } catch (err) {
        return setError(ceremonyError(err));
      }
      const finished = await finishPassEnrolmentAction({
        pass,
        challengeId: begun.data.challengeId,
        response,
        name: "Recovery passkey",
      });
      if (!finished.ok) return setError(finished.message);
      setDone(begun.data.name);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900">
        <p className="font-medium">Passkey enrolled for {done}.</p>
        <p className="mt-1">The pass is used up. Sign in with your new passkey.</p>
        <Link href="/sign-in" className="mt-3 inline-block font-medium text-indigo-700 hover:underline">
          Go to sign-in
        </Link>
      </div>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void enrol();
      }}
      className="space-y-4"
    >
      <label className="block text-sm font-medium text-slate-700">
        Enrolment pass
        <input
          value={pass}
          onChange={(e) => setPass(e.target.value)}
          autoComplete="one-time-code"
          spellCheck={false}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
        />
      </label>
      <p className="text-xs text-slate-600">
        This pass enrols a passkey only. Codes by SMS, email or an authenticator app are not accepted: recovery never
        leaves you with a weaker sign-in than you had.
      </p>
      <button
        type="submit"
        disabled={busy || pass.trim().length === 0}
        className="flex w-full items-center justify-center gap-2 rounded-md bg-slate-900 px-4 py-2.5 font-medium text-white hover:bg-slate-800 disabled:bg-slate-500"
      >
        <KeyRound className="size-4" aria-hidden /> {busy ? "Waiting for your passkey…" : "Enrol a passkey"}
      </button>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}
