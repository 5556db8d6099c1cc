"use client";

import { useMemo } from "react";
import type { z } from "zod";
import { cn } from "@/components/ui/cn";
import type { campaignScopeOptions } from "@/lib/reviews/queries";
import { POLICY_LABELS } from "@/lib/reviews/rules";
import type { campaignScopeInput, campaignSettings } from "@/lib/reviews/schemas";
import { MultiPick } from "./multi-pick";
import { type Person, ReviewerPick } from "./reviewer-pick";

export type ScopeOptions = Awaited<ReturnType<typeof campaignScopeOptions>>;
type Scope = z.input<typeof campaignScopeInput>;
/** What a campaign and a schedule share, as the form holds it (the fallback reviewer with their name). */
export type Settings = Omit<z.input<typeof campaignSettings>, "fallbackReviewerId"> & { fallback: Person | null };

export const field =
  "h-9 w-full rounded-md border border-slate-300 bg-white px-2 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";
export const labelText = "text-xs font-medium text-slate-700";

export function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="border-b border-slate-200 px-4 py-4 last:border-0" aria-label={title}>
      <h2 className="mb-3 text-sm font-semibold text-slate-900">{title}</h2>
      {children}
    </section>
  );
}

export function FieldError({ errors, name }: { errors: Record<string, string[]> | null; name: string }) {
  const e = errors?.[name]?.[0];
  return e ? (
    <p className="mt-1 text-xs text-red-700" data-testid={`error-${name}`}>
      {e}
    </p>
  ) : null;
}

function Choice({
  name,
  checked,
  onChange,
  title,
  help,
}: {
  name: string;
  checked: boolean;
  onChange: () => void;
  title: string;
  help: string;
}) {
  return (
    <label
      className={cn(
        "flex cursor-pointer gap-2 rounded-md border px-3 py-2",
        checked ? "border-indigo-500 bg-indigo-50/50 ring-1 ring-indigo-500" : "border-slate-200 hover:bg-slate-50",
      )}
    >
      <input type="radio" name={name} checked={checked} onChange={onChange} className="mt-0.5" />
      <span>
        <span className="block text-sm font-medium text-slate-900">{title}</span>
        <span className="block text-xs text-slate-600">{help}</span>
      </span>
    </label>
  );
}

function Flag({ checked, onChange, label }: { checked: boolean; onChange: (v: boolean) => void; label: string }) {
  return (
    <label className="flex items-center gap-2 text-sm text-slate-800">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className="size-4" />
      {label}
    </label>
  );
}

/**
 * The settings a campaign and a schedule share: what to review (kind and scope), who reviews, reminders and rollback,
 * and what happens to what nobody decides. `timing` holds the fields that differ (a due date, or a cadence).
 */
export function SettingsFields({
  value,
  onChange,
  options,
  me,
  errors,
  timing,
}: {
  value: Settings;
  onChange: (s: Settings) => void;
  options: ScopeOptions;
  me: Person;
  errors: Record<string, string[]> | null;
  timing: React.ReactNode;
}) {
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => onChange({ ...value, [k]: v });
  const setScope = <K extends keyof Scope>(k: K, v: Scope[K]) => set("scope", { ...value.scope, [k]: v });
  const access = value.kind === "access";
  const systems = value.scope.systemIds ?? [];
  const deptNames = useMemo(() => new Map(options.departments.map((d) => [d.id, d.name])), [options.departments]);
  const systemNames = useMemo(() => new Map(options.systems.map((s) => [s.id, s.name])), [options.systems]);
  const entitlementOptions = useMemo(
    () =>
      options.entitlements
        .filter((e) => systems.length === 0 || systems.includes(e.systemId))
        .map((e) => ({
          id: e.id,
          name: e.name,
          hint: systemNames.get(e.systemId) ?? null,
          badge: e.privileged ? "privileged" : null,
        })),
    [options.entitlements, systems, systemNames],
  );
  return (
    <>
      <Section title="What to review">
        <div className="grid gap-2 sm:grid-cols-2" role="radiogroup" aria-label="Kind">
          <Choice
            name="kind"
            checked={access}
            onChange={() =>
              onChange({
                ...value,
                kind: "access",
                scope: { ...value.scope, nonHumanOnly: undefined, withFindings: undefined },
              })
            }
            title="Access"
            help="Grants people hold on connected systems; each goes to the person's manager."
          />
          <Choice
            name="kind"
            checked={!access}
            onChange={() =>
              onChange({ ...value, kind: "api_scope", scope: { ...value.scope, entitlementIds: undefined } })
            }
            title="API scopes"
            help="Tokens, keys and OAuth clients; each goes to its accountable owner, who may reduce its scopes."
          />
        </div>
        <div className={cn("mt-4 grid gap-4", access ? "lg:grid-cols-3" : "lg:grid-cols-2")}>
          <MultiPick
            legend="Departments"
            help="With their sub-departments; none chosen means every department."
            options={options.departments.map((d) => ({
              id: d.id,
              name: d.name,
              hint: d.parentId ? (deptNames.get(d.parentId) ?? null) : null,
            }))}
            value={value.scope.departmentIds ?? []}
            onChange={(ids) => setScope("departmentIds", ids)}
          />
          <MultiPick
            legend="Systems"
            help={access ? "Grants on these systems; none means every system." : "Credentials these systems issued."}
            options={options.systems.map((s) => ({ id: s.id, name: s.name }))}
            value={systems}
            onChange={(ids) => setScope("systemIds", ids)}
          />
          {access ? (
            <MultiPick
              legend="Entitlements"
              help={systems.length ? "Of the chosen systems." : "Search every system's entitlements."}
              options={entitlementOptions}
              value={value.scope.entitlementIds ?? []}
              onChange={(ids) => setScope("entitlementIds", ids)}
              needsSearch={systems.length === 0}
            />
          ) : null}
        </div>
        <div className="mt-4 flex flex-wrap gap-x-6 gap-y-2">
          <Flag
            checked={Boolean(value.scope.privilegedOnly)}
            onChange={(v) => setScope("privilegedOnly", v || undefined)}
            label={access ? "Privileged entitlements only" : "Only credentials reaching bulk-record endpoints"}
          />
          {!access ? (
            <>
              <Flag
                checked={Boolean(value.scope.nonHumanOnly)}
                onChange={(v) => setScope("nonHumanOnly", v || undefined)}
                label="Held by non-human identities only"
              />
              <Flag
                checked={Boolean(value.scope.withFindings)}
                onChange={(v) => setScope("withFindings", v || undefined)}
                label="Only credentials with findings"
              />
            </>
          ) : null}
        </div>
        <FieldError errors={errors} name="scope" />
      </Section>

      <Section title="Who reviews">
        <div className="grid gap-4 lg:grid-cols-2">
          <div role="radiogroup" aria-label="Stages" className="flex flex-col gap-2">
            <span className={labelText}>Stages</span>
            <Choice
              name="stages"
              checked={value.stages === 1}
              onChange={() => set("stages", 1)}
              title="One stage"
              help="The manager or owner decides; “Don't know” counts as no answer."
            />
            <Choice
              name="stages"
              checked={value.stages === 2}
              onChange={() => set("stages", 2)}
              title="Two stages"
              help="What the manager or owner marks “Don't know” goes to the system's owner."
            />
          </div>
          <div>
            <ReviewerPick value={value.fallback} onChange={(p) => set("fallback", p)} me={me} />
            <FieldError errors={errors} name="fallbackReviewerId" />
          </div>
        </div>
      </Section>

      <Section title="Deadlines">
        <div className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-4">
          {timing}
          <div>
            <label className="block">
              <span className={labelText}>Remind every (days)</span>
              <input
                type="number"
                min={1}
                max={30}
                className={cn(field, "mt-1")}
                value={value.reminderEveryDays}
                onChange={(e) => set("reminderEveryDays", Number(e.target.value))}
              />
            </label>
            <FieldError errors={errors} name="reminderEveryDays" />
          </div>
          <div>
            <label className="block">
              <span className={labelText}>Rollback window (days)</span>
              <input
                type="number"
                min={1}
                max={30}
                className={cn(field, "mt-1")}
                value={value.rollbackDays}
                onChange={(e) => set("rollbackDays", Number(e.target.value))}
              />
            </label>
            <span className="mt-0.5 block text-[11px] text-slate-500">
              How long privileged access revoked for no answer can be restored.
            </span>
            <FieldError errors={errors} name="rollbackDays" />
          </div>
        </div>
      </Section>

      <Section title="If nobody answers">
        <div className="grid gap-2 lg:grid-cols-3" role="radiogroup" aria-label="No-response policy">
          {(["keep", "revoke", "escalate"] as const).map((p) => (
            <Choice
              key={p}
              name="policy"
              checked={value.noResponsePolicy === p}
              onChange={() => set("noResponsePolicy", p)}
              title={POLICY_LABELS[p].label}
              help={POLICY_LABELS[p].help}
            />
          ))}
        </div>
        <p className="mt-2 text-xs text-slate-600">
          Whatever the policy, privileged access nobody decided is never kept silently: it is revoked when the campaign
          closes, and can be restored within the rollback window.
        </p>
        <FieldError errors={errors} name="noResponsePolicy" />
      </Section>
    </>
  );
}
