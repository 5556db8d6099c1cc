"use client";

import { FlaskConical, KeyRound, ShieldAlert } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { humanize } from "@/components/ui/status";
import { StrengthBadge } from "@/components/ui/strength-badge";
import { useAction } from "@/components/ui/use-action";
import type { EmergencyEntitlement, RecoverySubject } from "@/lib/break-glass/queries";
import {
  AAL2,
  type BreakGlassKind,
  type BreakGlassReason,
  passMinStrength,
  REASON_LABELS,
} from "@/lib/break-glass/rules";
import {
  type AuthenticatorType,
  FACTOR_TYPE_LABELS,
  PRIMARY_STRENGTH,
  STRENGTH_LABELS,
  type Strength,
} from "@/lib/factors/strength";
import { requestBreakGlassAction } from "../actions";
import { CRITICALITY_TONE, minutesLabel } from "./bits";
import { FieldError, field } from "./decide-panels";
import { SubjectPicker } from "./subject-picker";

/** Factors a recovery can enrol, strongest first (the weak ones are listed too, to say why they are not offered). */
const ENROLLABLE: AuthenticatorType[] = [
  "passkey_device_bound",
  "security_key",
  "piv",
  "passkey_synced",
  "totp",
  "hardware_otp",
  "push_number_match",
  "sms_otp",
  "voice_otp",
  "email_otp",
];

const DURATIONS = [15, 30, 60, 120, 240, 480, 720, 1440];

/** Reasons that fit each kind first (every reason stays allowed). */
const REASONS: Record<BreakGlassKind, BreakGlassReason[]> = {
  emergency_access: ["incident_response", "production_fix", "security_investigation", "other"],
  account_recovery: ["lost_factor", "factor_outage", "locked_out", "other"],
};

const label = "block text-xs font-medium text-slate-700";

/** Entitlements under their system, in the order given (most critical systems first). */
function bySystem(list: EmergencyEntitlement[]) {
  const groups = new Map<number, [EmergencyEntitlement["system"], EmergencyEntitlement[]]>();
  for (const e of list) {
    const g = groups.get(e.system.id) ?? [e.system, []];
    g[1].push(e);
    groups.set(e.system.id, g);
  }
  return [...groups.values()];
}

/**
 * The request form: kind; for analysts, whom a recovery is for (the locked-out person cannot sign in to ask);
 * reason and ticket; emergency access: a privileged entitlement where the subject has an account and a duration
 * within the policy; recovery: a factor at least as strong as the subject's before the lock-out. The server checks
 * everything again; its field errors show beside the fields.
 */
export function RequestForm(p: {
  me: { id: number; name: string; strength: number };
  policy: { maxDurationMinutes: number; passLifetimeMinutes: number; requiredApprovals: number };
  entitlements: EmergencyEntitlement[];
  canRequestFor: boolean;
  drill: boolean;
}) {
  const router = useRouter();
  const submit = useAction(requestBreakGlassAction, { refresh: false });
  const [kind, setKind] = useState<BreakGlassKind>(
    p.drill || p.entitlements.length === 0 ? "account_recovery" : "emergency_access",
  );
  const [forWhom, setForWhom] = useState<"me" | "other">(p.drill ? "other" : "me");
  const [subject, setSubject] = useState<RecoverySubject | null>(null);
  const [reasonCode, setReasonCode] = useState<BreakGlassReason | "">("");
  const [reason, setReason] = useState("");
  const [ticketRef, setTicketRef] = useState("");
  const [entitlementId, setEntitlementId] = useState<number | null>(null);
  const [duration, setDuration] = useState(Math.min(60, p.policy.maxDurationMinutes));
  const [factor, setFactor] = useState<AuthenticatorType>("passkey_device_bound");
  const [clientErrors, setClientErrors] = useState<Record<string, string[]> | null>(null);

  const recovery = kind === "account_recovery";
  const other = recovery && forWhom === "other";
  const subjectName = other ? (subject?.name ?? "the person") : "you";
  const strength = other ? (subject?.strength ?? null) : p.me.strength;
  const min = passMinStrength(strength);
  const errors = clientErrors ?? submit.fieldErrors;
  const durations = [
    ...new Set([...DURATIONS.filter((d) => d <= p.policy.maxDurationMinutes), p.policy.maxDurationMinutes]),
  ];
  const available = p.entitlements.filter((e) => !e.held && !e.openRequest);

  const onSubmit = (ev: React.FormEvent) => {
    ev.preventDefault();
    // The few checks the browser can make at once; the server's zod schema and rules make them all again.
    const problems: Record<string, string[]> = {};
    if (!reasonCode) problems.reasonCode = ["Choose a reason."];
    if (reason.trim().length < 10) problems.reason = ["Say what happened (10 characters at least)."];
    if (other && !subject) problems.subjectId = ["Find the person this recovery is for."];
    if (!recovery && !entitlementId) problems.entitlementId = ["Choose the privileged access you need."];
    if (Object.keys(problems).length) return setClientErrors(problems);
    setClientErrors(null);
    const common = {
      subjectId: other ? subject?.id : undefined,
      reasonCode: reasonCode as BreakGlassReason,
      reason: reason.trim(),
      ticketRef: ticketRef.trim() || undefined,
      drill: p.drill || undefined,
    };
    void submit.run(
      recovery
        ? { kind: "account_recovery", recoveryFactor: factor, ...common }
        : { kind: "emergency_access", entitlementId: entitlementId as number, durationMinutes: duration, ...common },
      (d) => router.push(`/break-glass/${d.requestId}`),
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_320px]">
      <div className="flex min-w-0 flex-col gap-5">
        {p.drill ? null : (
          <fieldset>
            <legend className="mb-2 text-sm font-semibold text-slate-900">What do you need?</legend>
            <div className="grid gap-3 md:grid-cols-2">
              {(
                [
                  [
                    "emergency_access",
                    ShieldAlert,
                    "Emergency access",
                    "A privileged entitlement now, for a limited time; it is removed by itself when the time is up.",
                  ],
                  [
                    "account_recovery",
                    KeyRound,
                    "Account recovery",
                    "A one-time pass to enrol a new factor after losing one, never a weaker one.",
                  ],
                ] as const
              ).map(([value, Icon, title, text]) => (
                <label
                  key={value}
                  className={cn(
                    "flex cursor-pointer gap-3 rounded-lg border bg-white p-3 shadow-xs",
                    kind === value
                      ? "border-indigo-500 ring-1 ring-indigo-500"
                      : "border-slate-200 hover:border-slate-300",
                  )}
                >
                  <input
                    type="radio"
                    name="kind"
                    value={value}
                    checked={kind === value}
                    onChange={() => setKind(value)}
                    className="mt-1"
                  />
                  <span>
                    <span className="flex items-center gap-1.5 text-sm font-medium text-slate-900">
                      <Icon className="size-4" aria-hidden /> {title}
                    </span>
                    <span className="text-xs text-slate-600">{text}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        )}

        {recovery ? (
          <Card>
            <CardBody className="flex flex-col gap-4">
              {p.canRequestFor && !p.drill ? (
                <fieldset>
                  <legend className={label}>Who is locked out?</legend>
                  <div className="mt-1 flex flex-wrap gap-4 text-sm">
                    <label className="flex items-center gap-1.5">
                      <input type="radio" name="for" checked={forWhom === "me"} onChange={() => setForWhom("me")} /> Me
                    </label>
                    <label className="flex items-center gap-1.5">
                      <input
                        type="radio"
                        name="for"
                        checked={forWhom === "other"}
                        onChange={() => setForWhom("other")}
                      />{" "}
                      Someone else (they cannot sign in to ask)
                    </label>
                  </div>
                </fieldset>
              ) : null}
              {other ? (
                <div>
                  <span className={label}>{p.drill ? "Test subject" : "Person to recover"}</span>
                  <SubjectPicker value={subject} onChange={setSubject} exclude={p.me.id} />
                  <FieldError errors={errors} name="subjectId" />
                  {p.drill ? (
                    <p className="mt-1 text-xs text-slate-500">
                      Pick a test identity: approvers see the drill badge, and the pass is voided at once.
                    </p>
                  ) : null}
                </div>
              ) : (
                <p className="text-sm text-slate-700">
                  For you, {p.me.name}.{" "}
                  {p.canRequestFor ? null : "If someone else is locked out, an IAM analyst asks on their behalf."}
                </p>
              )}
              <fieldset>
                <legend className={label}>
                  Factor to enrol with the pass
                  {strength !== null ? (
                    <span className="ml-1 font-normal text-slate-500">
                      — {subjectName === "you" ? "your" : `${subjectName}'s`} strength before the lock-out:{" "}
                      {STRENGTH_LABELS[Math.max(0, Math.min(5, strength)) as Strength]} ({strength}); offered:{" "}
                      {STRENGTH_LABELS[min]} ({min}) or stronger
                    </span>
                  ) : null}
                </legend>
                <ul className="mt-1 grid gap-1 md:grid-cols-2">
                  {ENROLLABLE.map((f) => {
                    const s = PRIMARY_STRENGTH[f];
                    const why =
                      s >= min
                        ? null
                        : s < AAL2
                          ? "below AAL2: recovery never issues less"
                          : `weaker than ${subjectName === "you" ? "yours" : "theirs"} before (${strength}): a downgrade`;
                    return (
                      <li key={f}>
                        <label
                          className={cn(
                            "flex items-start gap-2 rounded-md border px-2.5 py-1.5 text-sm",
                            why ? "border-slate-100 bg-slate-50 text-slate-400" : "border-slate-200 bg-white",
                            factor === f && !why && "border-indigo-500 ring-1 ring-indigo-500",
                          )}
                        >
                          <input
                            type="radio"
                            name="factor"
                            value={f}
                            disabled={Boolean(why)}
                            checked={factor === f}
                            onChange={() => setFactor(f)}
                            className="mt-1"
                          />
                          <span className="min-w-0 flex-1">
                            <span className="flex items-center justify-between gap-2">
                              <span className={why ? "" : "text-slate-900"}>{FACTOR_TYPE_LABELS[f]}</span>
                              <StrengthBadge strength={s} compact />
                            </span>
                            {why ? <span className="block text-[11px]">Not offered: {why}</span> : null}
                          </span>
                        </label>
                      </li>
                    );
                  })}
                </ul>
                <FieldError errors={errors} name="recoveryFactor" />
              </fieldset>
            </CardBody>
          </Card>
        ) : (
          <Card>
            <CardBody className="flex flex-col gap-4">
              <p className="text-sm text-slate-700">
                For you, {p.me.name}: emergency access is asked by the person who needs it, on a system where they have
                an account.
              </p>
              <fieldset>
                <legend className={label}>Privileged access</legend>
                {p.entitlements.length === 0 ? (
                  <p className="mt-1 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600">
                    You have no active account on a system with privileged entitlements, so there is nothing to elevate
                    to.
                  </p>
                ) : (
                  <div className="mt-1 max-h-[28rem] overflow-y-auto rounded-md border border-slate-200 bg-white">
                    {bySystem(p.entitlements).map(([system, list]) => (
                      <fieldset key={system.id}>
                        <legend className="sr-only">{system.name}</legend>
                        <p
                          aria-hidden
                          className="sticky top-0 flex items-center gap-1.5 border-b border-slate-100 bg-slate-50 px-3 py-1.5 text-xs font-medium text-slate-700"
                        >
                          {system.name}
                          <Badge tone={CRITICALITY_TONE[system.criticality] ?? "neutral"}>
                            {humanize(system.criticality)}
                          </Badge>
                          {system.simulated ? <Badge tone="violet">Simulated connector</Badge> : null}
                        </p>
                        <ul className="divide-y divide-slate-100">
                          {list.map((e) => {
                            const why = e.held
                              ? "you already hold it"
                              : e.openRequest
                                ? `request #${e.openRequest} for it is still open`
                                : null;
                            return (
                              <li key={e.id}>
                                <label
                                  className={cn(
                                    "flex items-start gap-2 px-3 py-1.5 text-sm",
                                    why ? "text-slate-400" : "cursor-pointer hover:bg-slate-50",
                                    entitlementId === e.id && "bg-indigo-50",
                                  )}
                                >
                                  <input
                                    type="radio"
                                    name="entitlement"
                                    disabled={Boolean(why)}
                                    checked={entitlementId === e.id}
                                    onChange={() => setEntitlementId(e.id)}
                                    className="mt-1"
                                  />
                                  <span className="min-w-0 flex-1">
                                    <span className={cn("font-medium", !why && "text-slate-900")}>{e.name}</span>
                                    {why ? <span className="ml-2 text-[11px]">Not offered: {why}</span> : null}
                                  </span>
                                </label>
                              </li>
                            );
                          })}
                        </ul>
                      </fieldset>
                    ))}
                  </div>
                )}
                <FieldError errors={errors} name="entitlementId" />
                {p.entitlements.length > 0 && available.length === 0 ? (
                  <p className="mt-1 text-xs text-slate-500">
                    Everything you could ask for is already held or asked for.
                  </p>
                ) : null}
              </fieldset>
              <label className={label}>
                For how long? (at most {minutesLabel(p.policy.maxDurationMinutes)}: the policy's limit)
                <select
                  className={`${field} max-w-48`}
                  value={duration}
                  onChange={(e) => setDuration(Number(e.target.value))}
                >
                  {durations.map((d) => (
                    <option key={d} value={d}>
                      {minutesLabel(d)}
                    </option>
                  ))}
                </select>
                <FieldError errors={errors} name="durationMinutes" />
              </label>
            </CardBody>
          </Card>
        )}

        <Card>
          <CardBody className="flex flex-col gap-4">
            <label className={label}>
              Reason
              <select
                className={`${field} max-w-96`}
                value={reasonCode}
                onChange={(e) => setReasonCode(e.target.value as BreakGlassReason)}
              >
                <option value="">Choose…</option>
                {[
                  ...REASONS[kind],
                  ...(Object.keys(REASON_LABELS) as BreakGlassReason[]).filter((r) => !REASONS[kind].includes(r)),
                ].map((r) => (
                  <option key={r} value={r}>
                    {REASON_LABELS[r]}
                  </option>
                ))}
              </select>
              <FieldError errors={errors} name="reasonCode" />
            </label>
            <label className={label}>
              What happened, and what will you do with it?
              <textarea
                rows={4}
                className={field}
                value={reason}
                maxLength={2000}
                onChange={(e) => setReason(e.target.value)}
                placeholder={
                  recovery
                    ? "e.g. Security key lost on a trip yesterday; confirmed by video call with the service desk."
                    : "e.g. orders-db failover is stuck; I need to promote the replica in production."
                }
              />
              <FieldError errors={errors} name="reason" />
            </label>
            <label className={label}>
              Incident or ticket (optional)
              <input
                className={`${field} max-w-64 font-mono`}
                value={ticketRef}
                maxLength={100}
                onChange={(e) => setTicketRef(e.target.value)}
                placeholder="INC-4821"
              />
              <FieldError errors={errors} name="ticketRef" />
            </label>
          </CardBody>
        </Card>
      </div>

      <aside className="flex flex-col gap-3 self-start xl:sticky xl:top-16">
        <Card>
          <CardBody className="text-sm text-slate-700">
            <p className="font-medium text-slate-900">What happens next</p>
            <ol className="mt-2 list-decimal space-y-1 pl-4 text-xs">
              <li>
                {p.policy.requiredApprovals} approvers are told in-app: people holding the approver role who are neither
                you, the subject, nor in the subject's manager chain.
              </li>
              <li>
                {recovery
                  ? `The last approval issues a one-time pass (works ${minutesLabel(p.policy.passLifetimeMinutes)}, once) to enrol ${FACTOR_TYPE_LABELS[factor]}.`
                  : `The last approval grants it at the system for ${minutesLabel(duration)} (approvers may shorten it); it is removed by itself at the end.`}
              </li>
              <li>
                {p.drill
                  ? "Being a drill, the pass is voided at once: nothing is granted."
                  : `The subject is notified and can say "This wasn't me", which ends it at once.`}
              </li>
              {p.drill ? null : <li>After use, a post-incident review records what was done.</li>}
            </ol>
          </CardBody>
        </Card>
        {submit.error && !submit.fieldErrors ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-600/20">
            {submit.error}
          </p>
        ) : null}
        {errors ? (
          <p role="alert" className="text-sm text-red-700">
            Check the fields marked in red.
          </p>
        ) : null}
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={submit.pending}>
            {p.drill ? <FlaskConical className="size-4" aria-hidden /> : null}
            {submit.pending ? "Sending…" : p.drill ? "Start the drill" : "Ask for approval"}
          </Button>
          <ButtonLink href="/break-glass" variant="ghost">
            Cancel
          </ButtonLink>
        </div>
      </aside>
    </form>
  );
}
