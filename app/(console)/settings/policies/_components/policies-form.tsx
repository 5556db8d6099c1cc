"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useStepUp } from "@/components/step-up/use-step-up";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { Policies } from "@/lib/policies/policies";
import { updatePoliciesAction } from "../actions";

const field =
  "mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";
const label = "block text-xs font-medium text-slate-700";
type Errors = Record<string, string[]> | null;

const REASONS: { reason: keyof Policies["sla"]; label: string; hint: string }[] = [
  { reason: "involuntary", label: "Involuntary", hint: "Dismissals: cut off from the moment they are told." },
  { reason: "layoff", label: "Layoff", hint: "Often many at once; console access ends when the case opens." },
  { reason: "voluntary", label: "Resignation", hint: "Usually at the end of the last working day." },
  { reason: "contract_end", label: "Contract end", hint: "Contractors and temporary staff." },
];

/** "90 min" → "1 h 30 min"; "2880" → "2 d". */
function duration(minutes: number): string {
  if (!Number.isFinite(minutes)) return "";
  if (minutes === 0) return "at once";
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d} d` : "", h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean).join(" ");
}

function NumberField(p: {
  name: string;
  label: string;
  hint: string;
  value: number;
  min: number;
  max: number;
  unit: string;
  errors: Errors;
  onChange: (n: number) => void;
}) {
  return (
    <label className={label}>
      {p.label}
      <span className="mt-1 flex items-center gap-2">
        <input
          type="number"
          inputMode="numeric"
          min={p.min}
          max={p.max}
          className={`${field} mt-0 w-28`}
          value={Number.isNaN(p.value) ? "" : p.value}
          onChange={(e) => p.onChange(e.target.valueAsNumber)}
        />
        <span className="text-xs font-normal text-slate-500">
          {p.unit} · {p.min}–{p.max}
        </span>
      </span>
      <span className="mt-0.5 block font-normal text-slate-500">{p.hint}</span>
      {p.errors?.[p.name]?.[0] ? (
        <span role="alert" className="mt-1 block text-xs font-normal text-red-700">
          {p.errors[p.name][0]}
        </span>
      ) : null}
    </label>
  );
}

/** Every policy of the page in one form; saving goes through the passkey step-up. */
export function PoliciesForm({ initial, timeZones }: { initial: Policies; timeZones: string[] }) {
  const router = useRouter();
  const stepUp = useStepUp();
  const [p, setP] = useState<Policies>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const dirty = JSON.stringify(p) !== JSON.stringify(initial);
  const set = <K extends keyof Policies>(k: K, v: Policies[K]) => {
    setSaved(null);
    setP((x) => ({ ...x, [k]: v }));
  };
  const setSla = (reason: keyof Policies["sla"], v: Partial<Policies["sla"][typeof reason]>) =>
    set("sla", { ...p.sla, [reason]: { ...p.sla[reason], ...v } });
  const zones = timeZones.includes(p.orgTimeZone) ? timeZones : [p.orgTimeZone, ...timeZones];

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setErrors(null);
    const res = await stepUp(() => updatePoliciesAction(p));
    setBusy(false);
    if (!res.ok) {
      setError(res.message);
      setErrors(res.fieldErrors ?? null);
      return;
    }
    setSaved(
      res.data.changed.length === 0
        ? "Nothing had changed."
        : `Saved ${res.data.changed.length} change${res.data.changed.length === 1 ? "" : "s"}.`,
    );
    router.refresh();
  };

  return (
    <form onSubmit={save} noValidate className="flex min-w-0 flex-col gap-4" aria-label="Policies">
      <Card>
        <CardHeader
          title="Leaver SLAs"
          description="How long after the anchor every revocation of a case must be done. New cases take the SLA in force when they open."
        />
        <CardBody className="p-0">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs text-slate-600">
              <tr>
                <th className="px-4 py-2 font-medium">Reason</th>
                <th className="px-4 py-2 font-medium">Counted from</th>
                <th className="px-4 py-2 font-medium">Within (minutes)</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {REASONS.map((r) => (
                <tr key={r.reason}>
                  <td className="px-4 py-2 align-top">
                    <div className="font-medium text-slate-900">{r.label}</div>
                    <div className="text-xs text-slate-500">{r.hint}</div>
                  </td>
                  <td className="px-4 py-2 align-top">
                    <select
                      aria-label={`${r.label}: counted from`}
                      className={`${field} mt-0`}
                      value={p.sla[r.reason].anchor}
                      onChange={(e) =>
                        setSla(r.reason, {
                          anchor: e.target.value === "effective_time" ? "effective_time" : "end_of_last_day",
                        })
                      }
                    >
                      <option value="effective_time">The effective time</option>
                      <option value="end_of_last_day">The end of the last day (org time zone)</option>
                    </select>
                  </td>
                  <td className="px-4 py-2 align-top">
                    <div className="flex items-center gap-2">
                      <input
                        type="number"
                        min={0}
                        max={43200}
                        aria-label={`${r.label}: within minutes`}
                        className={`${field} mt-0 w-24`}
                        value={Number.isNaN(p.sla[r.reason].minutes) ? "" : p.sla[r.reason].minutes}
                        onChange={(e) => setSla(r.reason, { minutes: e.target.valueAsNumber })}
                      />
                      <span className="text-xs text-slate-500">{duration(p.sla[r.reason].minutes)}</span>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {errors?.sla?.[0] ? (
            <p role="alert" className="px-4 pb-3 text-xs text-red-700">
              {errors.sla[0]}
            </p>
          ) : null}
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Organisation" />
        <CardBody className="grid gap-4 md:grid-cols-2">
          <label className={label}>
            Time zone
            <select
              className={`${field} w-full`}
              value={p.orgTimeZone}
              onChange={(e) => set("orgTimeZone", e.target.value)}
            >
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
            <span className="mt-0.5 block font-normal text-slate-500">
              Where "the end of the last day" is reckoned for resignations and contract ends.
            </span>
          </label>
          <NumberField
            name="driftWatchDays"
            label="Drift watch"
            hint="How long a closed case's revocations are re-verified daily."
            value={p.driftWatchDays}
            min={1}
            max={365}
            unit="days"
            errors={errors}
            onChange={(n) => set("driftWatchDays", n)}
          />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Credentials" description="Findings on the API-scope inventory, from the next page load." />
        <CardBody className="grid gap-4 md:grid-cols-2">
          <NumberField
            name="rotationMaxDays"
            label="Rotation overdue after"
            hint="A secret older than this is flagged “rotation overdue”."
            value={p.rotationMaxDays}
            min={1}
            max={3650}
            unit="days"
            errors={errors}
            onChange={(n) => set("rotationMaxDays", n)}
          />
          <NumberField
            name="staleAfterDays"
            label="Stale after"
            hint="A credential unused this long is flagged “stale”."
            value={p.staleAfterDays}
            min={1}
            max={3650}
            unit="days"
            errors={errors}
            onChange={(n) => set("staleAfterDays", n)}
          />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Console sessions" description="Apply to every session from its next request or sign-in." />
        <CardBody className="grid gap-4 md:grid-cols-2">
          <NumberField
            name="sessionIdleMinutes"
            label="Idle timeout"
            hint="A session unused this long ends."
            value={p.sessionIdleMinutes}
            min={5}
            max={1440}
            unit="minutes"
            errors={errors}
            onChange={(n) => set("sessionIdleMinutes", n)}
          />
          <NumberField
            name="sessionAbsoluteHours"
            label="Lifetime"
            hint="Every session ends this long after sign-in, however active."
            value={p.sessionAbsoluteHours}
            min={1}
            max={24}
            unit="hours"
            errors={errors}
            onChange={(n) => set("sessionAbsoluteHours", n)}
          />
        </CardBody>
      </Card>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={busy || !dirty}>
          {busy ? "Saving…" : "Save policies"}
        </Button>
        <Button variant="ghost" disabled={!dirty || busy} onClick={() => setP(initial)}>
          Undo changes
        </Button>
        <span className="text-[11px] text-slate-500">Needs a passkey sign-in within the last 5 minutes.</span>
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
