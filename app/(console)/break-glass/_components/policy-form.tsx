"use client";

import { Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useStepUp } from "@/components/step-up/use-step-up";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { ApproverGroup, BreakGlassPolicy } from "@/lib/break-glass/rules";
import { previewPoolHealthAction, updateBreakGlassPolicyAction } from "../actions";
import { minutesLabel } from "./bits";
import { FieldError, type FieldErrors, field } from "./decide-panels";
import { type PoolHealth, PoolHealthCard } from "./pool-health";

type Department = { id: number; name: string };
const label = "block text-xs font-medium text-slate-700";

/** A number field with its limits said beside it (the server's schema enforces the same). */
function NumberField(p: {
  name: keyof BreakGlassPolicy;
  label: string;
  hint: string;
  min: number;
  max: number;
  value: number;
  unit?: "minutes" | "days";
  errors: FieldErrors;
  onChange: (n: number) => void;
}) {
  return (
    <label className={label}>
      {p.label}
      <span className="mt-1 flex items-center gap-2">
        <input
          type="number"
          min={p.min}
          max={p.max}
          inputMode="numeric"
          className={`${field} mt-0 max-w-28`}
          value={Number.isNaN(p.value) ? "" : p.value}
          onChange={(e) => p.onChange(e.target.valueAsNumber)}
        />
        <span className="text-xs font-normal text-slate-500">
          {p.unit === "minutes" && !Number.isNaN(p.value) ? `${minutesLabel(p.value)} · ` : ""}
          {p.min}–{p.max}
          {p.unit ? ` ${p.unit}` : ""}
        </span>
      </span>
      <span className="mt-0.5 block font-normal text-slate-500">{p.hint}</span>
      <FieldError errors={p.errors} name={p.name} />
    </label>
  );
}

/** One required group: people from some departments, or the owner of the system asked for. */
function GroupEditor({
  group,
  departments,
  onChange,
  onRemove,
}: {
  group: ApproverGroup;
  departments: Department[];
  onChange: (g: ApproverGroup) => void;
  onRemove: () => void;
}) {
  const [q, setQ] = useState("");
  const chosen = group.kind === "department" ? group.departmentIds : [];
  const shown = departments.filter(
    (d) => chosen.includes(d.id) || (q.trim() && d.name.toLowerCase().includes(q.trim().toLowerCase())),
  );
  return (
    <li className="rounded-md border border-slate-200 bg-slate-50/60 p-3">
      <div className="flex flex-wrap items-end gap-3">
        <label className={label}>
          Name
          <input
            className={`${field} w-56`}
            value={group.label}
            maxLength={80}
            onChange={(e) => onChange({ ...group, label: e.target.value })}
            placeholder="Security"
          />
        </label>
        <label className={label}>
          Who belongs
          <select
            className={`${field} w-56`}
            value={group.kind}
            onChange={(e) =>
              onChange(
                e.target.value === "department"
                  ? { kind: "department", label: group.label, departmentIds: [] }
                  : { kind: "system_owner", label: group.label },
              )
            }
          >
            <option value="department">Approvers in departments…</option>
            <option value="system_owner">The owner of the system asked for</option>
          </select>
        </label>
        <Button
          size="sm"
          variant="ghost"
          onClick={onRemove}
          className="ml-auto"
          aria-label={`Remove group ${group.label}`}
        >
          <Trash2 className="size-3.5" aria-hidden /> Remove
        </Button>
      </div>
      {group.kind === "department" ? (
        <div className="mt-2">
          <input
            type="search"
            className={`${field} max-w-72`}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Find a department"
            aria-label={`Find a department for ${group.label || "this group"}`}
          />
          <ul className="mt-1 flex max-h-40 flex-wrap gap-x-4 gap-y-1 overflow-y-auto" aria-label="Departments">
            {shown.map((d) => (
              <li key={d.id}>
                <label className="flex items-center gap-1.5 text-sm">
                  <input
                    type="checkbox"
                    checked={chosen.includes(d.id)}
                    onChange={(e) =>
                      onChange({
                        ...group,
                        kind: "department",
                        departmentIds: e.target.checked ? [...chosen, d.id] : chosen.filter((x) => x !== d.id),
                      })
                    }
                  />
                  {d.name}
                </label>
              </li>
            ))}
          </ul>
          {chosen.length === 0 ? <p className="mt-1 text-xs text-amber-700">Choose one department at least.</p> : null}
        </div>
      ) : (
        <p className="mt-2 text-xs text-slate-600">
          For emergency access, one approval must come from the owner of the system the entitlement is on (if they hold
          the approver role). Recovery requests have no system: this group cannot be met for them.
        </p>
      )}
    </li>
  );
}

/**
 * The admins' policy editor. The approver-pool check reruns against the draft as it changes, so a policy that
 * could not be met is seen before it is saved. Saving goes through the passkey step-up.
 */
export function PolicyForm({
  initial,
  health,
  departments,
}: {
  initial: BreakGlassPolicy;
  health: PoolHealth;
  departments: Department[];
}) {
  const router = useRouter();
  const stepUp = useStepUp();
  const [policy, setPolicy] = useState<BreakGlassPolicy>(initial);
  const [preview, setPreview] = useState<PoolHealth>(health);
  const [checking, setChecking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const first = useRef(true);
  const set = <K extends keyof BreakGlassPolicy>(k: K, v: BreakGlassPolicy[K]) => {
    setSaved(null);
    setPolicy((p) => ({ ...p, [k]: v }));
  };
  const dirty = JSON.stringify(policy) !== JSON.stringify(initial);

  // Re-check the pool against the draft (quietly: a draft that does not parse yet keeps the last answer).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const t = setTimeout(async () => {
      setChecking(true);
      const res = await previewPoolHealthAction(policy);
      setChecking(false);
      if (res.ok) setPreview(res.data);
    }, 300);
    return () => clearTimeout(t);
  }, [policy]);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setErrors(null);
    const res = await stepUp(() => updateBreakGlassPolicyAction(policy));
    setBusy(false);
    if (!res.ok) {
      setError(res.message);
      setErrors(res.fieldErrors ?? null);
      return;
    }
    setSaved("Saved: requests made from now on follow this policy.");
    router.refresh();
  };

  return (
    <form onSubmit={save} noValidate className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_380px]">
      <div className="flex min-w-0 flex-col gap-5">
        <Card>
          <CardHeader
            title="Who approves"
            description="Never the requester, the subject or anyone in the subject's manager chain."
          />
          <CardBody className="flex flex-col gap-4">
            <NumberField
              name="requiredApprovals"
              label="Approvals needed"
              hint="Distinct people holding the approver role; never fewer than two."
              min={2}
              max={5}
              value={policy.requiredApprovals}
              errors={errors}
              onChange={(n) => set("requiredApprovals", n)}
            />
            <div>
              <p className={label}>Required groups (optional)</p>
              <p className="text-xs text-slate-500">
                With groups, one approval must come from each (a person counts for one group only), e.g. one from
                Security and the system's owner.
              </p>
              <ul className="mt-2 flex flex-col gap-2">
                {policy.groups.map((g, i) => (
                  <GroupEditor
                    // biome-ignore lint/suspicious/noArrayIndexKey: groups have no id; the list only grows or shrinks from the editor itself
                    key={i}
                    group={g}
                    departments={departments}
                    onChange={(ng) =>
                      set(
                        "groups",
                        policy.groups.map((x, j) => (j === i ? ng : x)),
                      )
                    }
                    onRemove={() =>
                      set(
                        "groups",
                        policy.groups.filter((_, j) => j !== i),
                      )
                    }
                  />
                ))}
              </ul>
              {policy.groups.length < 4 ? (
                <Button
                  size="sm"
                  className="mt-2"
                  onClick={() =>
                    set("groups", [...policy.groups, { kind: "department", label: "", departmentIds: [] }])
                  }
                >
                  <Plus className="size-3.5" aria-hidden /> Add a group
                </Button>
              ) : null}
              <FieldError errors={errors} name="groups" />
            </div>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="How long things last" />
          <CardBody className="grid gap-4 md:grid-cols-2">
            <NumberField
              name="maxDurationMinutes"
              label="Longest emergency access"
              hint="What a requester may ask for; approvers may shorten it."
              min={5}
              max={1440}
              unit="minutes"
              value={policy.maxDurationMinutes}
              errors={errors}
              onChange={(n) => set("maxDurationMinutes", n)}
            />
            <NumberField
              name="requestTtlMinutes"
              label="Unapproved requests lapse after"
              hint="A request nobody approves in time ends by itself."
              min={5}
              max={1440}
              unit="minutes"
              value={policy.requestTtlMinutes}
              errors={errors}
              onChange={(n) => set("requestTtlMinutes", n)}
            />
            <NumberField
              name="passLifetimeMinutes"
              label="Enrolment pass works for"
              hint="The one-time pass of an approved recovery (single use)."
              min={5}
              max={480}
              unit="minutes"
              value={policy.passLifetimeMinutes}
              errors={errors}
              onChange={(n) => set("passLifetimeMinutes", n)}
            />
            <NumberField
              name="postReviewDays"
              label="Post-incident review due within"
              hint="Every use is reviewed after it ends; later ones show as overdue."
              min={1}
              max={30}
              unit="days"
              value={policy.postReviewDays}
              errors={errors}
              onChange={(n) => set("postReviewDays", n)}
            />
          </CardBody>
        </Card>
      </div>
      <aside className="flex flex-col gap-3 self-start xl:sticky xl:top-16">
        <div aria-live="polite" aria-busy={checking} className={checking ? "opacity-70" : undefined}>
          <PoolHealthCard health={preview} editable={false} />
          {dirty ? <p className="mt-1 text-xs text-slate-500">Checked against your unsaved changes.</p> : null}
        </div>
        {dirty && !preview.canBeMet ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-600/20">
            {preview.canBeMetFor.emergency_access
              ? "With these changes nobody could get an account recovery approved: every recovery would lapse. A recovery asks for no system, so it has no system owner to approve it."
              : "With these changes nobody could get break-glass approved today: every request would lapse. Add approvers first, or keep the policy within reach."}
          </p>
        ) : null}
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
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={busy || !dirty}>
            {busy ? "Saving…" : "Save policy"}
          </Button>
          <Button variant="ghost" disabled={!dirty || busy} onClick={() => setPolicy(initial)}>
            Undo changes
          </Button>
        </div>
        <p className="text-[11px] text-slate-500">Saving needs a passkey sign-in within the last 5 minutes.</p>
      </aside>
    </form>
  );
}
