import type { RemediationAction } from "@/lib/remediation/model";

/**
 * Pure leaver rules: SLA due time, risk and queue order, task priority, retry backoff. No database, no Next;
 * the SQL writers embed the constants below so TypeScript and SQL cannot disagree.
 */
export type LeaverReason = "voluntary" | "involuntary" | "layoff" | "contract_end";
type SlaAnchor = "effective_time" | "end_of_last_day";
export type SlaPolicy = { reason: LeaverReason; anchor: SlaAnchor; minutes: number };
/** What a leaver case asks the remediation engine to do (lib/remediation). */
export type TaskKind = Extract<
  RemediationAction,
  | "disable_account"
  | "end_sessions"
  | "remove_device_trust"
  | "remove_grant"
  | "revoke_credential"
  | "remove_recovery_factor"
  | "transfer_ownership"
>;

/** Defaults when an admin has set no policy: FedRAMP PS-4 asks for access disabled within 4 hours of a layoff. */
export const DEFAULT_SLA: Record<LeaverReason, SlaPolicy> = {
  involuntary: { reason: "involuntary", anchor: "effective_time", minutes: 60 },
  layoff: { reason: "layoff", anchor: "effective_time", minutes: 240 },
  voluntary: { reason: "voluntary", anchor: "end_of_last_day", minutes: 0 },
  contract_end: { reason: "contract_end", anchor: "end_of_last_day", minutes: 0 },
};

const MINUTE = 60_000;

/** The UTC offset (ms) of a time zone at an instant: wall-clock time there minus UTC. */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a calendar day starts (local midnight) in a time zone, DST included. */
export function startOfDayIn(day: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  const guess = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the guessed instant can differ from the offset at local midnight across a DST edge.
  let instant = guess - zoneOffsetMs(new Date(guess), timeZone);
  instant = guess - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

/**
 * When a leaver leaves if nobody said: voluntary and contract-end leavers work their last day, so at its end in the
 * organisation's zone; everyone else (and anyone without a last day) now.
 */
export function defaultEffectiveAt(reason: LeaverReason, lastDay: string | null, timeZone: string, now: Date): Date {
  if (lastDay && (reason === "voluntary" || reason === "contract_end"))
    return startOfDayIn(addDays(lastDay, 1), timeZone);
  return now;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone. */
function dayIn(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    instant,
  );
}

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * When access must be gone: involuntary and layoff leavers count from the effective time (they are cut off
 * when told); voluntary and contract-end leavers at the end of their last day in the organisation's zone.
 */
export function slaDueAt(args: {
  policy: SlaPolicy;
  effectiveAt: Date;
  lastDay: string | null;
  timeZone: string;
}): Date {
  const { policy, effectiveAt, timeZone } = args;
  if (policy.anchor === "effective_time") return new Date(effectiveAt.getTime() + policy.minutes * MINUTE);
  const lastDay = args.lastDay ?? dayIn(effectiveAt, timeZone);
  return new Date(startOfDayIn(addDays(lastDay, 1), timeZone).getTime() + policy.minutes * MINUTE);
}

// ─── Risk and queue order ──────────────────────────────────────────────────────────────────────────
/**
 * Outstanding privileged items and bulk-data credentials make a case as urgent as if its SLA were due this
 * many minutes earlier (capped at three items each): the queue key stays linear in time, so the order of
 * two cases never changes as the clock moves, and a stored column can back it with an index.
 */
const PRIVILEGED_WEIGHT_MIN = 240;
const BULK_WEIGHT_MIN = 180;
const WEIGHT_CAP = 3;
/** Tiers keep drift-reopened cases on top and finished-but-unclosed cases at the bottom. */
const TIER = { reopened: 0, open: 1, nothingOutstanding: 2, closed: 3 } as const;
const TIER_SPAN = 1e9; // minutes (~1,900 years): tiers never overlap

export type RiskInput = {
  status: "open" | "in_progress" | "closed" | "reopened";
  slaDueAt: Date;
  privilegedOutstanding: number;
  bulkOutstanding: number;
  outstanding: number;
};

function caseTier(c: Pick<RiskInput, "status" | "outstanding">): number {
  if (c.status === "closed") return TIER.closed;
  if (c.status === "reopened") return TIER.reopened;
  return c.outstanding > 0 ? TIER.open : TIER.nothingOutstanding;
}

/** The time the case is "effectively" due once its privileged and bulk-data items are weighed in. */
function effectiveDueAt(c: Pick<RiskInput, "slaDueAt" | "privilegedOutstanding" | "bulkOutstanding">): Date {
  const weight =
    Math.min(c.privilegedOutstanding, WEIGHT_CAP) * PRIVILEGED_WEIGHT_MIN +
    Math.min(c.bulkOutstanding, WEIGHT_CAP) * BULK_WEIGHT_MIN;
  return new Date(c.slaDueAt.getTime() - weight * MINUTE);
}

/** Ascending queue key (lower = work it first). Mirrored in SQL by leaver_queue_rank() (migration 0016). */
export function queueRank(c: RiskInput): number {
  return caseTier(c) * TIER_SPAN + effectiveDueAt(c).getTime() / MINUTE;
}

/**
 * How fast the score approaches its ends: 75 ("critical") a day past the effective due time, 93 after a week, 97
 * after a month. A linear score saturated at 99 ten hours past the SLA, so every breached case in a layoff read
 * "99 critical" and the number said nothing about which to work first (acceptance testing).
 */
const RISK_HALF_MIN = 24 * 60;

/**
 * Risk score 0–100 for display: a monotone function of how late the case effectively is (its SLA moved earlier by
 * the privileged and bulk-data items still live), so the queue's order and its scores always agree. 50 =
 * effectively due now; it rises towards 99 the longer the case is late and falls towards 1 the further ahead.
 */
export function riskScore(c: RiskInput, now: Date): number {
  const tier = caseTier(c);
  if (tier === TIER.closed) return 0;
  if (tier === TIER.reopened) return 100;
  const lateMin = (now.getTime() - effectiveDueAt(c).getTime()) / MINUTE;
  const score = Math.round(50 + (49 * lateMin) / (Math.abs(lateMin) + RISK_HALF_MIN));
  return tier === TIER.nothingOutstanding ? Math.min(5, Math.max(1, score)) : Math.min(99, Math.max(1, score));
}

/** What a case's score is made of, in words (the badge's explanation). */
export function riskExplained(c: RiskInput, now: Date): string {
  const tier = caseTier(c);
  if (tier === TIER.closed) return "Closed: every revocation verified or waived.";
  if (tier === TIER.reopened) return "Reopened: a revocation no longer holds at its system.";
  if (tier === TIER.nothingOutstanding) return "Nothing outstanding: ready to close.";
  const lateMin = Math.round((now.getTime() - c.slaDueAt.getTime()) / MINUTE);
  const parts = [lateMin >= 0 ? `SLA passed ${span(lateMin)} ago` : `SLA due in ${span(-lateMin)}`];
  if (c.privilegedOutstanding)
    parts.push(
      `${c.privilegedOutstanding} privileged item${c.privilegedOutstanding === 1 ? "" : "s"} still live (each counts as due ${PRIVILEGED_WEIGHT_MIN / 60} h earlier${c.privilegedOutstanding > WEIGHT_CAP ? `, ${WEIGHT_CAP} at most` : ""})`,
    );
  if (c.bulkOutstanding)
    parts.push(
      `${c.bulkOutstanding} bulk-data credential${c.bulkOutstanding === 1 ? "" : "s"} still live (each counts as due ${BULK_WEIGHT_MIN / 60} h earlier${c.bulkOutstanding > WEIGHT_CAP ? `, ${WEIGHT_CAP} at most` : ""})`,
    );
  parts.push(`${c.outstanding} task${c.outstanding === 1 ? "" : "s"} outstanding`);
  return `${parts.join("; ")}.`;
}

function span(minutes: number): string {
  if (minutes < 90) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} days`;
}

export type RiskLevel = "critical" | "high" | "medium" | "low";
export function riskLevel(score: number): RiskLevel {
  if (score >= 75) return "critical";
  if (score >= 50) return "high";
  if (score >= 25) return "medium";
  return "low";
}

/** "Breached", "due soon" (within the hour) or on time. */
export function slaState(slaDue: Date, now: Date, closed: boolean): "breached" | "due_soon" | "on_time" | "met" {
  if (closed) return "met";
  const left = slaDue.getTime() - now.getTime();
  if (left < 0) return "breached";
  return left <= 60 * MINUTE ? "due_soon" : "on_time";
}

// ─── Task order ────────────────────────────────────────────────────────────────────────────────────
/** Lower runs first: privileged grants, then credentials that reach bulk-record endpoints, then accounts. */
export const TASK_PRIORITY = {
  privilegedGrant: 10,
  bulkCredential: 20,
  privilegedAccount: 22,
  criticalAccount: 25,
  account: 30,
  sessions: 35,
  credential: 40,
  device: 45,
  recoveryFactor: 50,
  nhiOwnership: 60,
} as const;

export function taskPriority(t: {
  kind: TaskKind;
  privileged: boolean;
  bulkData: boolean;
  critical?: boolean;
}): number {
  switch (t.kind) {
    case "remove_grant":
      return TASK_PRIORITY.privilegedGrant;
    case "revoke_credential":
      return t.bulkData ? TASK_PRIORITY.bulkCredential : TASK_PRIORITY.credential;
    case "disable_account":
      return t.privileged
        ? TASK_PRIORITY.privilegedAccount
        : t.critical
          ? TASK_PRIORITY.criticalAccount
          : TASK_PRIORITY.account;
    case "end_sessions":
      return TASK_PRIORITY.sessions;
    case "remove_device_trust":
      return TASK_PRIORITY.device;
    case "remove_recovery_factor":
      return TASK_PRIORITY.recoveryFactor;
    case "transfer_ownership":
      return TASK_PRIORITY.nhiOwnership;
  }
}

/** Orders tasks for display and execution: priority, then privileged and bulk first, then a stable id. */
export function compareTasks<T extends { priority: number; privileged: boolean; bulkData: boolean; id: number }>(
  a: T,
  b: T,
): number {
  return (
    a.priority - b.priority ||
    Number(b.privileged) - Number(a.privileged) ||
    Number(b.bulkData) - Number(a.bulkData) ||
    a.id - b.id
  );
}
