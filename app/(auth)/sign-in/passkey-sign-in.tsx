"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { Fingerprint } from "lucide-react";
import { useState } from "react";
import { ceremonyError } from "@/components/step-up/ceremony-error";
import { beginPasskeySignInAction, signInWithPasskey } from "../actions";

/**
 * "Sign in with a passkey": the browser offers this site's passkeys (discoverable credentials, so no username
 * first); the server checks the answer and creates the session, then redirects.
 */
export function PasskeySignIn({ callbackUrl }: { callbackUrl?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signIn() {
    setBusy(true);
    setError(null);
    try {
      const { challengeId, options } = await beginPasskeySignInAction();
      let response: Awaited<ReturnType<typeof startAuthentication>>;
      try {
        response = await startAuthentication({ optionsJSON: options });
      } catch (err) {
        return setError(ceremonyError(err));
      }
      // On success the action redirects and this page goes away; a refusal comes back as words.
      const result = await signInWithPasskey({ challengeId, response, callbackUrl });
      setError(result.error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mb-6">
      <button
        type="button"
        onClick={() => void signIn()}
        disabled={busy}
        className="flex w-full items-center justify-center gap-2 rounded-md bg-slate-900 px-4 py-2.5 font-medium text-white hover:bg-slate-800 disabled:bg-slate-500"
      >
        <Fingerprint className="size-4" aria-hidden /> {busy ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </button>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
