"use client";

import { KeyRound, RefreshCw } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import { registerHandleAction, rotateClientSecretAction } from "../../../actions";

const field =
  "w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";

/**
 * Administrators give Lockstep what it needs to act on the credential at its issuer (the token, or an OAuth client's
 * RFC 7592 registration) and rotate an OAuth client's secret. The page only ever learns whether a handle is set and
 * when: the value is sealed on the server and never sent back.
 */
export function HandleSection(p: {
  credentialId: number;
  active: boolean;
  isOAuthClient: boolean;
  system: string;
  /** The issuer is connected through OAuth 2.0 (the only connector that uses handles). */
  oauthIssuer: boolean;
  simulated: boolean;
  handle: { kind: "token" | "registration"; registered: string } | null;
}) {
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const status = p.handle
    ? `${p.handle.kind === "token" ? "The token (RFC 7009 revocation)" : "The client's RFC 7592 registration"} — registered ${p.handle.registered}.`
    : "None: Lockstep cannot ask the issuer to revoke it.";
  return (
    <Card>
      <CardHeader
        title="Revocation handle"
        description="What Lockstep needs to act on this credential at its issuer, sealed (AES-256-GCM); its value is never shown again."
      />
      <div className="flex flex-col gap-3 px-4 py-3 text-sm">
        <p data-testid="handle-status">
          <span className="text-slate-500">Held: </span>
          {status}
        </p>
        {notice ? (
          <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-600/20">
            {notice}
          </p>
        ) : null}
        {!p.oauthIssuer ? (
          <p className="text-xs text-slate-500">
            {p.system} is not connected through OAuth 2.0: Lockstep would not use a handle there.
          </p>
        ) : p.active ? (
          <>
            <div className="flex flex-wrap gap-2">
              <Button size="sm" variant="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
                <KeyRound className="size-3.5" aria-hidden /> {p.handle ? "Replace" : "Register"} revocation handle
              </Button>
            </div>
            {open ? (
              <RegisterForm
                {...p}
                onDone={(m) => {
                  setNotice(m);
                  setOpen(false);
                }}
              />
            ) : null}
            {p.isOAuthClient && p.handle?.kind === "registration" ? <ClientManagement {...p} /> : null}
          </>
        ) : null}
      </div>
    </Card>
  );
}

function RegisterForm(p: Parameters<typeof HandleSection>[0] & { onDone: (message: string) => void }) {
  const register = useAction(registerHandleAction);
  const [kind, setKind] = useState<"token" | "registration">(p.isOAuthClient ? "registration" : "token");
  const [token, setToken] = useState("");
  const [hint, setHint] = useState<"" | "access_token" | "refresh_token">("");
  const [uri, setUri] = useState("");
  const [rat, setRat] = useState("");
  return (
    <form
      className="flex flex-col gap-2"
      autoComplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        const input =
          kind === "token"
            ? { credentialId: p.credentialId, kind, token, tokenTypeHint: hint || null }
            : { credentialId: p.credentialId, kind, registrationClientUri: uri, registrationAccessToken: rat };
        register.run(input, (r) => {
          // Forget the values in the browser as soon as the server holds them.
          setToken("");
          setRat("");
          p.onDone(`${r.replaced ? "Replaced" : "Registered"}: Lockstep can now act on it at ${p.system}.`);
        });
      }}
    >
      {p.isOAuthClient ? (
        <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <legend className="sr-only">Kind of handle</legend>
          <label className="flex items-center gap-1.5">
            <input type="radio" checked={kind === "registration"} onChange={() => setKind("registration")} />
            Client registration (RFC 7592)
          </label>
          <label className="flex items-center gap-1.5">
            <input type="radio" checked={kind === "token"} onChange={() => setKind("token")} />
            One token (RFC 7009)
          </label>
        </fieldset>
      ) : null}
      {kind === "token" ? (
        <>
          <label className="text-xs font-medium text-slate-600">
            Token
            <input
              type="password"
              className={field}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              required
              minLength={8}
            />
          </label>
          <label className="text-xs font-medium text-slate-600">
            Token type (optional hint for the issuer)
            <select className={field} value={hint} onChange={(e) => setHint(e.target.value as typeof hint)}>
              <option value="">not stated</option>
              <option value="access_token">access token</option>
              <option value="refresh_token">refresh token</option>
            </select>
          </label>
        </>
      ) : (
        <>
          <label className="text-xs font-medium text-slate-600">
            Client configuration URI (registration_client_uri)
            <input
              type="url"
              className={field}
              value={uri}
              onChange={(e) => setUri(e.target.value)}
              required
              placeholder={`on ${p.system}'s authorization server`}
            />
          </label>
          <label className="text-xs font-medium text-slate-600">
            Registration access token
            <input
              type="password"
              className={field}
              value={rat}
              onChange={(e) => setRat(e.target.value)}
              required
              minLength={8}
            />
          </label>
        </>
      )}
      <p className="text-xs text-slate-500">Needs a passkey step-up. Audited without the value.</p>
      {register.error ? (
        <p role="alert" className="text-sm text-red-700">
          {register.error}
        </p>
      ) : null}
      <div>
        <Button type="submit" variant="primary" disabled={register.pending}>
          {register.pending ? "Registering…" : "Register revocation handle"}
        </Button>
      </div>
    </form>
  );
}

/** RFC 7592 management beyond revoke (delete) and reduce scopes, which the Actions card requests as tasks. */
function ClientManagement(p: Parameters<typeof HandleSection>[0]) {
  const rotate = useAction(rotateClientSecretAction);
  return (
    <div className="flex flex-col gap-2 border-t border-slate-100 pt-3">
      <p className="text-xs text-slate-600">
        Through this registration, <strong>Revoke</strong> deletes the client at {p.system} and{" "}
        <strong>Reduce scopes</strong> changes its scope (Actions above), each verified by reading the configuration
        back. RFC 7592 defines no “disabled” state, so there is no disable: delete or reduce it instead.
      </p>
      <div>
        <Button
          size="sm"
          variant="secondary"
          disabled={rotate.pending || p.simulated}
          title={p.simulated ? "A simulated issuer has no client to rotate" : undefined}
          onClick={() => rotate.run({ credentialId: p.credentialId })}
        >
          <RefreshCw className="size-3.5" aria-hidden /> {rotate.pending ? "Rotating…" : "Rotate client secret"}
        </Button>
      </div>
      {rotate.error ? (
        <p role="alert" className="text-sm text-red-700">
          {rotate.error}
        </p>
      ) : null}
      {rotate.result ? (
        <div className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-600/20">
          <p>
            New secret for <code>{rotate.result.clientId}</code> — shown this once; Lockstep does not keep it. Hand it
            to the client's owner now.
          </p>
          <code className="mt-1 block font-mono text-xs break-all select-all" data-testid="new-client-secret">
            {rotate.result.secret}
          </code>
          <p className="mt-1 text-xs text-amber-900">Verified: {rotate.result.verification}.</p>
          <Button size="sm" variant="secondary" className="mt-2" onClick={() => rotate.reset()}>
            I have stored it — hide
          </Button>
        </div>
      ) : null}
    </div>
  );
}
