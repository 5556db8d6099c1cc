"use client";

import { CalendarClock, Scissors, ShieldOff, UserCheck } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { useAction } from "@/components/ui/use-action";
import {
  assignOwnerAction,
  reduceScopesAction,
  revokeCredentialAction,
  searchOwnersAction,
  setExpiryAction,
} from "../../../actions";

type Panel = "revoke" | "reduce" | "owner" | "expiry";
const field =
  "w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";

/** The four changes an analyst makes here; each is one audited transaction on the server. */
export function CredentialActions(p: {
  credentialId: number;
  active: boolean;
  scopes: string[];
  system: string;
  connector: string;
  simulated: boolean;
  /** Lockstep holds the OAuth client's RFC 7592 registration: revoking deletes the client there. */
  clientRegistration?: boolean;
  /** Why Lockstep cannot revoke it at the issuer (then evidence is asked for), or null. */
  manualReason: string | null;
  /** Why Lockstep cannot drop scopes at the issuer (then it is a manual task), or null. */
  manualReduceReason: string | null;
  /** Something the analyst should know before trying (e.g. no revocation handle). */
  warning?: string | null;
}) {
  const [panel, setPanel] = useState<Panel | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const tabs: { id: Panel; label: string; icon: typeof ShieldOff }[] = [
    { id: "revoke", label: "Revoke", icon: ShieldOff },
    { id: "reduce", label: "Reduce scopes", icon: Scissors },
    { id: "owner", label: "Assign owner", icon: UserCheck },
    { id: "expiry", label: "Set expiry", icon: CalendarClock },
  ];
  const done = (message: string) => {
    setNotice(message);
    setPanel(null);
  };
  return (
    <Card>
      <CardHeader
        title="Actions"
        description={p.active ? "Every change is audited, in one transaction." : "This credential is no longer live."}
      />
      <div className="px-4 py-3">
        {notice ? (
          <p
            role="status"
            className="mb-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-600/20"
            data-testid="action-notice"
          >
            {notice}
          </p>
        ) : null}
        {p.active ? (
          <>
            <div className="flex flex-wrap gap-2">
              {tabs.map((t) => (
                <Button
                  key={t.id}
                  variant={t.id === "revoke" ? "danger" : "secondary"}
                  size="sm"
                  aria-expanded={panel === t.id}
                  className={cn(panel === t.id && "ring-2 ring-indigo-400")}
                  onClick={() => setPanel(panel === t.id ? null : t.id)}
                >
                  <t.icon className="size-3.5" aria-hidden /> {t.label}
                </Button>
              ))}
            </div>
            {panel === "revoke" ? <RevokePanel {...p} onDone={done} /> : null}
            {panel === "reduce" ? <ReducePanel {...p} onDone={done} /> : null}
            {panel === "owner" ? <OwnerPanel {...p} onDone={done} /> : null}
            {panel === "expiry" ? <ExpiryPanel {...p} onDone={done} /> : null}
          </>
        ) : null}
      </div>
    </Card>
  );
}

type PanelProps = Parameters<typeof CredentialActions>[0] & { onDone: (message: string) => void };

function ErrorText({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" className="text-sm text-red-700">
      {message}
    </p>
  ) : null;
}

function RevokePanel(p: PanelProps) {
  const revoke = useAction(revokeCredentialAction);
  const [reason, setReason] = useState("");
  const [evidence, setEvidence] = useState("");
  const via = p.manualReason
    ? "by hand (with evidence)"
    : p.simulated
      ? `the ${p.connector} connector — Simulated`
      : `the ${p.connector.toUpperCase()} connector`;
  return (
    <form
      className="mt-3 flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        revoke.run({ credentialId: p.credentialId, reason, evidence: evidence || undefined }, (r) =>
          p.onDone(requestedMessage("Revocation", p.system, r)),
        );
      }}
    >
      <p className="text-sm text-slate-700">
        {p.clientRegistration && !p.manualReason && !p.simulated ? (
          <>
            Deletes the client at <strong>{p.system}</strong> (RFC 7592 DELETE, with its registration), then checks its
            configuration endpoint no longer knows it — no token of the client is needed.
          </>
        ) : (
          <>
            Revokes it at <strong>{p.system}</strong> through {via}, then checks the issuer no longer accepts it.
          </>
        )}
      </p>
      {(p.manualReason ?? p.warning) ? <p className="text-xs text-amber-800">{p.manualReason ?? p.warning}</p> : null}
      <label className="text-xs font-medium text-slate-600">
        Reason
        <textarea
          className={field}
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          minLength={3}
          placeholder="e.g. Orphaned bulk-read token of a leaver"
        />
      </label>
      {p.manualReason ? (
        <label className="text-xs font-medium text-slate-600">
          Evidence it was revoked at the issuer
          <textarea
            className={field}
            rows={2}
            value={evidence}
            onChange={(e) => setEvidence(e.target.value)}
            required
          />
        </label>
      ) : null}
      <ErrorText message={revoke.error} />
      <div>
        <Button type="submit" variant="danger" disabled={revoke.pending}>
          {revoke.pending ? "Requesting…" : "Request revocation"}
        </Button>
      </div>
    </form>
  );
}

/** What happens next, after the engine took the request (the task list below shows it as it goes). */
function requestedMessage(
  what: string,
  system: string,
  r: { state: "queued" | "awaiting_evidence" | "awaiting_second" | "verified" },
): string {
  switch (r.state) {
    case "queued":
      return `${what} queued at ${system}: it runs as a job and is verified by re-reading ${system} (see Remediation below).`;
    case "awaiting_evidence":
      return `${what} is a manual task for ${system}'s owner: it counts once confirmed with evidence.`;
    case "awaiting_second":
      return `${what} recorded with your evidence; a second person must confirm it.`;
    case "verified":
      return `${what} confirmed with your evidence.`;
  }
}

function ReducePanel(p: PanelProps) {
  const reduce = useAction(reduceScopesAction);
  const [drop, setDrop] = useState<string[]>([]);
  const [reason, setReason] = useState("");
  const [evidence, setEvidence] = useState("");
  return (
    <form
      className="mt-3 flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        reduce.run({ credentialId: p.credentialId, drop, reason, evidence: evidence || undefined }, (r) =>
          p.onDone(requestedMessage(`Dropping ${drop.join(", ")}`, p.system, r)),
        );
      }}
    >
      <p className="text-sm text-slate-700">
        Choose the scopes to drop. For an OAuth client Lockstep changes them at <strong>{p.system}</strong> (RFC 7592)
        and checks a token for a dropped scope is refused; otherwise someone makes the change there and confirms it with
        evidence. The blast radius follows once it is done.
      </p>
      <fieldset className="flex flex-wrap gap-x-4 gap-y-1">
        <legend className="sr-only">Scopes to drop</legend>
        {p.scopes.map((s) => (
          <label key={s} className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              checked={drop.includes(s)}
              onChange={(e) => setDrop(e.target.checked ? [...drop, s] : drop.filter((x) => x !== s))}
            />
            <code className="text-xs">{s}</code>
          </label>
        ))}
      </fieldset>
      <label className="text-xs font-medium text-slate-600">
        Reason
        <input
          className={field}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          minLength={3}
          placeholder="e.g. Export scope unused for a year"
        />
      </label>
      {p.manualReduceReason ? (
        <label className="text-xs font-medium text-slate-600">
          Evidence the scopes were dropped at the issuer (or leave empty to assign it to the system owner)
          <textarea className={field} rows={2} value={evidence} onChange={(e) => setEvidence(e.target.value)} />
        </label>
      ) : null}
      <ErrorText message={reduce.error} />
      <div>
        <Button type="submit" variant="primary" disabled={reduce.pending || drop.length === 0}>
          Drop {drop.length || ""} scope{drop.length === 1 ? "" : "s"}
        </Button>
      </div>
    </form>
  );
}

function OwnerPanel(p: PanelProps) {
  const search = useAction(searchOwnersAction, { refresh: false });
  const assign = useAction(assignOwnerAction);
  const [q, setQ] = useState("");
  return (
    <div className="mt-3 flex flex-col gap-2">
      <form
        className="flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          search.run({ q });
        }}
      >
        <label className="flex-1">
          <span className="sr-only">Find an active person</span>
          <input
            className={field}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Find an active person by name or email"
            required
          />
        </label>
        <Button type="submit" disabled={search.pending}>
          Search
        </Button>
      </form>
      <ErrorText message={search.error ?? assign.error} />
      {search.result ? (
        search.result.length === 0 ? (
          <p className="text-sm text-slate-500">No active person matches.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
            {search.result.map((o) => (
              <li key={o.id} className="flex items-center justify-between gap-2 px-3 py-1.5 text-sm">
                <span>
                  {o.name} <span className="text-xs text-slate-500">{o.title ?? o.email}</span>
                </span>
                <Button
                  size="sm"
                  variant="primary"
                  disabled={assign.pending}
                  onClick={() =>
                    assign.run({ credentialId: p.credentialId, ownerId: o.id }, (r) =>
                      p.onDone(`${r.owner} now answers for it.`),
                    )
                  }
                >
                  Make owner
                </Button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

function ExpiryPanel(p: PanelProps) {
  const expiry = useAction(setExpiryAction);
  const [local, setLocal] = useState("");
  return (
    <form
      className="mt-3 flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        // The browser reads the value in the viewer's own zone; the server receives the instant.
        expiry.run({ credentialId: p.credentialId, expiresAt: new Date(local).toISOString() }, () =>
          p.onDone(`Expiry set to ${new Date(local).toLocaleString()}. The issuer enforces it once applied there.`),
        );
      }}
    >
      <label className="text-xs font-medium text-slate-600">
        Expires at (your time zone)
        <input
          type="datetime-local"
          className={field}
          value={local}
          onChange={(e) => setLocal(e.target.value)}
          required
        />
      </label>
      <Button type="submit" variant="primary" disabled={expiry.pending || !local}>
        Set expiry
      </Button>
      <div className="basis-full">
        <ErrorText message={expiry.error} />
      </div>
    </form>
  );
}
