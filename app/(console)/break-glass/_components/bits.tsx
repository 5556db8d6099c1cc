import { FlaskConical, KeyRound, ShieldAlert } from "lucide-react";
import { Badge, type Tone } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { humanize } from "@/components/ui/status";
import { type BreakGlassKind, type BreakGlassStatus, STATUS_LABELS } from "@/lib/break-glass/rules";
import { type AuthenticatorType, FACTOR_TYPE_LABELS, STRENGTH_LABELS, type Strength } from "@/lib/factors/strength";

const STATUS_TONE: Record<BreakGlassStatus, Tone> = {
  pending: "info",
  approved: "success",
  active: "warning",
  denied: "danger",
  expired: "neutral",
  revoked: "neutral",
  cancelled: "neutral",
  disputed: "danger",
};

/** A request's state in words; a pending request that ran out of time reads "Lapsed". */
export function RequestStatus({
  status,
  activated = true,
  drill = false,
}: {
  status: BreakGlassStatus;
  activated?: boolean;
  drill?: boolean;
}) {
  const label =
    status === "expired" && drill && activated
      ? "Drill done"
      : status === "expired" && !activated
        ? "Lapsed"
        : STATUS_LABELS[status];
  return <Badge tone={STATUS_TONE[status]}>{label}</Badge>;
}

export const CRITICALITY_TONE: Record<string, Tone> = {
  low: "neutral",
  medium: "info",
  high: "warning",
  critical: "danger",
};

const strengthWords = (s: number | null) =>
  s === null ? "unknown" : `${STRENGTH_LABELS[Math.max(0, Math.min(5, s)) as Strength]} (${s})`;

/**
 * What a request asks for: the privileged entitlement and where, or the factor a recovery enrols. `compact` (lists)
 * puts the where on a second, smaller line.
 */
export function WhatAsked({
  kind,
  entitlement,
  system,
  criticality,
  recoveryFactor,
  strengthBefore,
  drill,
  compact = false,
}: {
  kind: BreakGlassKind;
  entitlement?: string | null;
  system?: string | null;
  criticality?: string | null;
  recoveryFactor?: AuthenticatorType | null;
  strengthBefore?: number | null;
  drill?: boolean;
  compact?: boolean;
}) {
  const emergency = kind === "emergency_access";
  const Icon = emergency ? ShieldAlert : KeyRound;
  const detail = emergency
    ? system
      ? `on ${system}`
      : null
    : recoveryFactor
      ? `enrol ${FACTOR_TYPE_LABELS[recoveryFactor]}${
          !compact && strengthBefore !== undefined ? ` · strength before: ${strengthWords(strengthBefore)}` : ""
        }`
      : null;
  return (
    <span className="inline-flex min-w-0 items-start gap-1.5">
      <Icon className={cn("mt-0.5 size-4 shrink-0", emergency ? "text-amber-600" : "text-indigo-600")} aria-hidden />
      <span className={cn("min-w-0", !compact && "inline-flex flex-wrap items-center gap-x-1.5 gap-y-0.5")}>
        <span className="inline-flex flex-wrap items-center gap-1.5">
          <span className="font-medium text-slate-900">
            {emergency ? (entitlement ?? "Privileged access") : "Account recovery"}
          </span>
          {/* Every emergency request is for privileged access: the lists leave the badge out. */}
          {emergency && !compact ? <Badge tone="warning">Privileged</Badge> : null}
          {emergency && criticality && !compact ? (
            <Badge tone={CRITICALITY_TONE[criticality] ?? "neutral"}>{humanize(criticality)} system</Badge>
          ) : null}
          {drill ? (
            <Badge tone="violet">
              <FlaskConical className="size-3" aria-hidden /> Drill
            </Badge>
          ) : null}
        </span>
        {detail ? <span className={cn("text-slate-600", compact && "block text-xs")}>{detail}</span> : null}
      </span>
    </span>
  );
}

/** "4 h", "90 min", "1 h 30 min". */
export function minutesLabel(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}
