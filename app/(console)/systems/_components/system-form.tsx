"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { useStepUp } from "@/components/step-up/use-step-up";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import type { CreateSystemInput } from "@/lib/systems/schemas";
import { createSystemAction, searchSystemOwnersAction, updateSystemAction } from "../actions";

const field =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";
const label = "block text-xs font-medium text-slate-700";

type Option = { value: string; label: string };
type Kind = CreateSystemInput["connectorKind"];

/** What the form edits: the system, and its connector settings flat beside it (as the server's schema takes them). */
export type SystemValues = {
  name: string;
  category: CreateSystemInput["category"];
  criticality: CreateSystemInput["criticality"];
  owner: { id: number; name: string } | null;
  description: string;
  connectorKind: Kind;
  simulated: boolean;
  deprovisionMode: CreateSystemInput["deprovisionMode"];
  maxConcurrency: number;
  baseUrl: string;
  clientId: string;
  clientAuth: NonNullable<CreateSystemInput["clientAuth"]>;
  tokenEndpoint: string;
  revocationEndpoint: string;
  introspectionEndpoint: string;
  webhookUrl: string;
  secretEnv: string;
  timeoutMs: number | null;
};

type Errors = Record<string, string[]> | null;

function FieldError({ errors, name }: { errors: Errors; name: string }) {
  const e = errors?.[name]?.[0];
  return e ? (
    <p className="mt-1 text-xs text-red-700" role="alert">
      {e}
    </p>
  ) : null;
}

/** A text field bound to one key of the form. */
function Text(p: {
  name: keyof SystemValues;
  label: string;
  value: string;
  onChange: (v: string) => void;
  errors: Errors;
  hint?: string;
  placeholder?: string;
  mono?: boolean;
}) {
  return (
    <label className={label}>
      {p.label}
      <input
        className={`${field} ${p.mono ? "font-mono text-xs" : ""}`}
        value={p.value}
        placeholder={p.placeholder}
        onChange={(e) => p.onChange(e.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
      {p.hint ? <span className="mt-0.5 block font-normal text-slate-500">{p.hint}</span> : null}
      <FieldError errors={p.errors} name={p.name} />
    </label>
  );
}

function Select<V extends string>(p: {
  name: keyof SystemValues;
  label: string;
  value: V;
  options: Option[];
  onChange: (v: V) => void;
  errors: Errors;
}) {
  return (
    <label className={label}>
      {p.label}
      <select className={field} value={p.value} onChange={(e) => p.onChange(e.target.value as V)}>
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError errors={p.errors} name={p.name} />
    </label>
  );
}

/** The accountable owner: an active person, found by name or email. */
function OwnerPick(p: { value: SystemValues["owner"]; onChange: (o: SystemValues["owner"]) => void; errors: Errors }) {
  const search = useAction(searchSystemOwnersAction, { refresh: false });
  const [q, setQ] = useState("");
  const id = useId();
  // biome-ignore lint/correctness/useExhaustiveDependencies: searching follows the text only (the action is stable)
  useEffect(() => {
    if (q.trim().length < 2) return;
    const t = setTimeout(() => void search.run({ q: q.trim() }), 250);
    return () => clearTimeout(t);
  }, [q]);
  const results = q.trim().length >= 2 ? (search.result ?? []) : [];
  return (
    <div>
      <label htmlFor={id} className={label}>
        Owner
      </label>
      {p.value ? (
        <div className="mt-1 flex items-center justify-between rounded-md bg-slate-50 px-2.5 py-1.5 text-sm ring-1 ring-slate-200">
          <span className="font-medium text-slate-900" data-testid="system-owner">
            {p.value.name}
          </span>
          <Button size="sm" variant="ghost" onClick={() => p.onChange(null)}>
            Change
          </Button>
        </div>
      ) : (
        <>
          <input
            id={id}
            className={field}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Name or email of an active person"
            autoComplete="off"
          />
          {results.length > 0 ? (
            <ul className="mt-1 max-h-40 overflow-y-auto rounded-md ring-1 ring-slate-200" aria-label="Matching owners">
              {results.map((r) => (
                <li key={r.id}>
                  <button
                    type="button"
                    className="w-full px-2.5 py-1.5 text-left text-sm hover:bg-slate-100"
                    onClick={() => {
                      p.onChange({ id: r.id, name: r.name });
                      setQ("");
                    }}
                  >
                    {r.name} <span className="text-xs text-slate-500">{r.email}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <span className="mt-0.5 block text-xs text-slate-500">
            Gets the manual tasks the connector cannot do. Without one, they go to the analysts.
          </span>
        </>
      )}
      <FieldError errors={p.errors} name="ownerId" />
    </div>
  );
}

const KIND_HELP: Record<Kind, string> = {
  scim: "Deactivates or deletes users and removes group memberships over SCIM 2.0, verified by reading back.",
  oauth: "Revokes tokens (RFC 7009), verified by introspection (RFC 7662); manages OAuth clients (RFC 7592).",
  webhook: "Hands every change to the system's own automation with a signed request, verified by a second call.",
  manual: "No connector: every change is a manual task for the owner, confirmed with evidence.",
};

/** Connect a system or change one. Saving needs a fresh passkey step-up (it decides where a secret is sent). */
export function SystemForm(p: {
  systemId?: number;
  initial: SystemValues;
  options: { category: Option[]; criticality: Option[]; connectorKind: Option[]; deprovisionMode: Option[] };
}) {
  const router = useRouter();
  const stepUp = useStepUp();
  const [v, setV] = useState<SystemValues>(p.initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const set =
    <K extends keyof SystemValues>(k: K) =>
    (value: SystemValues[K]) => {
      setSaved(null);
      setV((x) => ({ ...x, [k]: value }));
    };
  const dirty = JSON.stringify(v) !== JSON.stringify(p.initial);
  const real = v.connectorKind !== "manual" && !v.simulated;

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setErrors(null);
    const { owner, timeoutMs, ...rest } = v;
    const input = {
      ...rest,
      ownerId: owner?.id ?? null,
      timeoutMs: timeoutMs ?? undefined,
      simulated: v.connectorKind === "manual" ? false : v.simulated,
    };
    const res = p.systemId
      ? await stepUp(() => updateSystemAction({ ...input, systemId: p.systemId! }))
      : await stepUp(() => createSystemAction(input));
    setBusy(false);
    if (!res.ok) {
      setError(res.message);
      setErrors(res.fieldErrors ?? null);
      return;
    }
    if (!p.systemId && "slug" in res.data) {
      router.push(`/systems/${res.data.systemId}?connected=1`);
      return;
    }
    setSaved("Saved. Tasks requested from now on use these settings.");
    router.refresh();
  };

  return (
    <form onSubmit={save} noValidate className="flex min-w-0 flex-col gap-4" aria-label="System settings">
      <Card>
        <CardHeader title="The system" />
        <CardBody className="grid gap-4 md:grid-cols-2">
          <Text name="name" label="Name" value={v.name} onChange={set("name")} errors={errors} />
          <OwnerPick value={v.owner} onChange={set("owner")} errors={errors} />
          <Select
            name="category"
            label="Kind of system"
            value={v.category}
            options={p.options.category}
            onChange={set("category")}
            errors={errors}
          />
          <Select
            name="criticality"
            label="Criticality"
            value={v.criticality}
            options={p.options.criticality}
            onChange={set("criticality")}
            errors={errors}
          />
          <div className="md:col-span-2">
            <Text
              name="description"
              label="Description (optional)"
              value={v.description}
              onChange={set("description")}
              errors={errors}
            />
          </div>
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title="Connector"
          description="How Lockstep carries out revocations on this system. Secrets stay in the server's environment: name the variable that holds one, never paste the secret."
        />
        <CardBody className="grid gap-4 md:grid-cols-2">
          <div>
            <Select
              name="connectorKind"
              label="Connector"
              value={v.connectorKind}
              options={p.options.connectorKind}
              onChange={set("connectorKind")}
              errors={errors}
            />
            <span className="mt-0.5 block text-xs text-slate-500">{KIND_HELP[v.connectorKind]}</span>
          </div>
          {v.connectorKind === "manual" ? (
            <div />
          ) : (
            <fieldset className="rounded-md border border-amber-300 bg-amber-50/60 px-3 py-2">
              <legend className="px-1 text-xs font-medium text-amber-900">Simulated</legend>
              <label className="flex items-start gap-2 text-sm text-slate-800">
                <input
                  type="checkbox"
                  className="mt-0.5"
                  checked={v.simulated}
                  onChange={(e) => set("simulated")(e.target.checked)}
                />
                <span>
                  Simulate this connector{" "}
                  {v.simulated ? <Badge tone="warning">Simulated</Badge> : <Badge tone="success">Acts for real</Badge>}
                  <span className="mt-0.5 block text-xs text-slate-600">
                    A simulated connector acts on an in-database stand-in, never on the real system; everything it does
                    is labelled Simulated. Turn it off to act on the endpoint below.
                  </span>
                </span>
              </label>
              <FieldError errors={errors} name="simulated" />
            </fieldset>
          )}
          {v.connectorKind === "scim" ? (
            <div className="md:col-span-2">
              <Text
                name="baseUrl"
                label="SCIM base URL"
                value={v.baseUrl}
                onChange={set("baseUrl")}
                errors={errors}
                placeholder="https://api.example.com/scim/v2"
                mono
              />
            </div>
          ) : null}
          {v.connectorKind === "oauth" ? (
            <>
              <Text
                name="clientId"
                label="Lockstep's client id"
                value={v.clientId}
                onChange={set("clientId")}
                errors={errors}
                mono
              />
              <Select
                name="clientAuth"
                label="Client authentication"
                value={v.clientAuth}
                options={[
                  { value: "client_secret_basic", label: "client_secret_basic (HTTP Basic)" },
                  { value: "client_secret_post", label: "client_secret_post (form)" },
                ]}
                onChange={set("clientAuth")}
                errors={errors}
              />
              <Text
                name="revocationEndpoint"
                label="Revocation endpoint (RFC 7009)"
                value={v.revocationEndpoint}
                onChange={set("revocationEndpoint")}
                errors={errors}
                mono
              />
              <Text
                name="introspectionEndpoint"
                label="Introspection endpoint (RFC 7662)"
                value={v.introspectionEndpoint}
                onChange={set("introspectionEndpoint")}
                errors={errors}
                mono
              />
              <Text
                name="tokenEndpoint"
                label="Token endpoint (optional)"
                value={v.tokenEndpoint}
                onChange={set("tokenEndpoint")}
                errors={errors}
                hint="Proves a reduced client's dropped scopes are refused."
                mono
              />
            </>
          ) : null}
          {v.connectorKind === "webhook" ? (
            <div className="md:col-span-2">
              <Text
                name="webhookUrl"
                label="Webhook URL"
                value={v.webhookUrl}
                onChange={set("webhookUrl")}
                errors={errors}
                mono
              />
            </div>
          ) : null}
          {v.connectorKind === "manual" ? null : (
            <>
              <Text
                name="secretEnv"
                label="Secret: name of the environment variable"
                value={v.secretEnv}
                onChange={(s) => set("secretEnv")(s.toUpperCase())}
                errors={errors}
                placeholder="ACME_SCIM_TOKEN"
                hint={
                  v.connectorKind === "scim"
                    ? "Holds the bearer token. Set it on every Lockstep server and worker."
                    : v.connectorKind === "oauth"
                      ? "Holds the client secret. Set it on every Lockstep server and worker."
                      : "Holds the signing secret (HMAC-SHA256). Set it on every Lockstep server and worker."
                }
                mono
              />
              <label className={label}>
                Timeout per call (ms, optional)
                <input
                  type="number"
                  min={500}
                  max={60000}
                  className={`${field} max-w-40`}
                  value={v.timeoutMs ?? ""}
                  onChange={(e) => set("timeoutMs")(e.target.value === "" ? null : e.target.valueAsNumber)}
                />
                <span className="mt-0.5 block font-normal text-slate-500">500–60,000; 10,000 when empty.</span>
                <FieldError errors={errors} name="timeoutMs" />
              </label>
            </>
          )}
          {v.connectorKind === "scim" ? (
            <Select
              name="deprovisionMode"
              label="When someone leaves"
              value={v.deprovisionMode}
              options={p.options.deprovisionMode}
              onChange={set("deprovisionMode")}
              errors={errors}
            />
          ) : null}
          {v.connectorKind === "manual" ? null : (
            <label className={label}>
              Concurrency
              <input
                type="number"
                min={1}
                max={64}
                className={`${field} max-w-28`}
                value={Number.isNaN(v.maxConcurrency) ? "" : v.maxConcurrency}
                onChange={(e) => set("maxConcurrency")(e.target.valueAsNumber)}
              />
              <span className="mt-0.5 block font-normal text-slate-500">
                Calls at once to this system, across every Lockstep process (1–64).
              </span>
              <FieldError errors={errors} name="maxConcurrency" />
            </label>
          )}
        </CardBody>
      </Card>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={busy || (!dirty && Boolean(p.systemId))}>
          {busy ? "Saving…" : p.systemId ? "Save changes" : "Connect system"}
        </Button>
        {p.systemId ? (
          <Button variant="ghost" disabled={!dirty || busy} onClick={() => setV(p.initial)}>
            Undo changes
          </Button>
        ) : null}
        <span className="text-[11px] text-slate-500">
          Needs a passkey sign-in within the last 5 minutes.{real ? " Test the connection once saved." : ""}
        </span>
      </div>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-600/20">
          {error}
        </p>
      ) : null}
      {saved ? (
        <p role="status" className="text-sm text-emerald-800">
          {saved}
        </p>
      ) : null}
    </form>
  );
}
