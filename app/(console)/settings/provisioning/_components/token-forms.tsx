"use client";

import { Check, Copy, KeyRound } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import { createProvisioningTokenAction, revokeProvisioningTokenAction } from "../actions";

const field =
  "w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";

const COPY = {
  provisioning: {
    title: "New provisioning token",
    description: "For the IdP's provisioning settings (Secret Token / API token).",
    placeholder: "e.g. Entra ID (production)",
    label: "Client name",
    button: "Create token",
    testId: "new-token",
  },
  audit_monitor: {
    title: "New audit monitor token",
    description: "For the monitor that polls the audit chain's checkpoints (Authorization: Bearer …).",
    placeholder: "e.g. SIEM checkpoint poller",
    label: "Monitor name",
    button: "Create monitor token",
    testId: "new-monitor-token",
  },
} as const;

/** Names a client and shows its token once: Lockstep keeps only a hash of it. */
export function CreateToken({ kind }: { kind: keyof typeof COPY }) {
  const copy = COPY[kind];
  const create = useAction(createProvisioningTokenAction);
  const [name, setName] = useState("");
  const [copied, setCopied] = useState(false);
  const made = create.result;
  return (
    <Card>
      <CardHeader title={copy.title} description={copy.description} />
      <form
        className="flex flex-col gap-2 px-4 py-3"
        onSubmit={(e) => {
          e.preventDefault();
          setCopied(false);
          create.run({ name, kind }, () => setName(""));
        }}
      >
        <label className="text-xs font-medium text-slate-600">
          {copy.label}
          <input
            className={field}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={80}
            placeholder={copy.placeholder}
          />
        </label>
        {create.error ? (
          <p role="alert" className="text-sm text-red-700">
            {create.error}
          </p>
        ) : null}
        <div>
          <Button type="submit" variant="primary" disabled={create.pending}>
            <KeyRound className="size-4" aria-hidden /> {create.pending ? "Creating…" : copy.button}
          </Button>
        </div>
      </form>
      {made ? (
        <div className="border-t border-slate-200 px-4 py-3" role="status" data-testid={copy.testId}>
          <p className="text-sm font-medium text-slate-900">Token for {made.name}</p>
          <p className="mb-2 text-xs text-amber-800">Copy it now: it is shown only this once.</p>
          <div className="flex items-start gap-2">
            <code className="min-w-0 flex-1 rounded-md bg-slate-100 px-2 py-1.5 font-mono text-xs break-all">
              {made.token}
            </code>
            <Button
              size="sm"
              aria-label="Copy the token"
              onClick={() => navigator.clipboard?.writeText(made.token).then(() => setCopied(true))}
            >
              {copied ? <Check className="size-3.5" aria-hidden /> : <Copy className="size-3.5" aria-hidden />}
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
        </div>
      ) : null}
    </Card>
  );
}

/** Revoking is immediate: the client's next request is refused (401). */
export function RevokeToken({ clientId, name }: { clientId: number; name: string }) {
  const revoke = useAction(revokeProvisioningTokenAction);
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <Button size="sm" variant="secondary" onClick={() => setConfirming(true)}>
        Revoke
      </Button>
    );
  }
  return (
    <span className="inline-flex items-center gap-2">
      {revoke.error ? <span className="text-xs text-red-700">{revoke.error}</span> : null}
      <Button
        size="sm"
        variant="danger"
        disabled={revoke.pending}
        onClick={() => revoke.run({ clientId })}
        aria-label={`Revoke the token of ${name}`}
      >
        {revoke.pending ? "Revoking…" : "Revoke now"}
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
    </span>
  );
}
