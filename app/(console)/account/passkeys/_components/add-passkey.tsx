"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ceremonyError } from "@/components/step-up/ceremony-error";
import { useStepUp } from "@/components/step-up/use-step-up";
import { Button } from "@/components/ui/button";
import { beginRegistrationAction, finishRegistrationAction } from "../actions";

/**
 * Enrols a passkey: options from the server (after a step-up when you already have one), the browser's create()
 * ceremony, then the server's check of the answer. A name is optional ("Passkey 2" otherwise).
 */
export function AddPasskey({ first }: { first: boolean }) {
  const router = useRouter();
  const withStepUp = useStepUp();
  const [open, setOpen] = useState(first);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function enrol(name: string) {
    setBusy(true);
    setError(null);
    try {
      const begun = await withStepUp(() => beginRegistrationAction({}));
      if (!begun.ok) return setError(begun.message);
      let response: Awaited<ReturnType<typeof startRegistration>>;
      try {
        response = await startRegistration({ optionsJSON: begun.data.options });
      } catch (err) {
        return setError(ceremonyError(err));
      }
      const done = await withStepUp(() =>
        finishRegistrationAction({ challengeId: begun.data.challengeId, response, name: name || undefined }),
      );
      if (!done.ok) return setError(done.message);
      setOpen(false);
      router.refresh();
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <Button variant="primary" onClick={() => setOpen(true)}>
        <Plus className="size-4" aria-hidden /> Add a passkey
      </Button>
    );
  }
  return (
    <form
      className="flex flex-wrap items-start gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void enrol(String(new FormData(e.currentTarget).get("name") ?? "").trim());
      }}
    >
      <div>
        <label className="sr-only" htmlFor="passkey-name">
          Passkey name
        </label>
        <input
          id="passkey-name"
          name="name"
          maxLength={60}
          placeholder="Name, e.g. Work laptop"
          className="h-9 w-52 rounded-md border border-slate-300 px-2 text-sm"
        />
        {error ? (
          <p role="alert" className="mt-1 max-w-xs text-xs text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <Button variant="primary" type="submit" disabled={busy}>
        <Plus className="size-4" aria-hidden /> {busy ? "Waiting for your device…" : "Create passkey"}
      </Button>
      {first ? null : (
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      )}
    </form>
  );
}
