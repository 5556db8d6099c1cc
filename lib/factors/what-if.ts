import { type Factor, factorStrength, isActive, posture, type Strength } from "./strength";

/**
 * What-if: one delivery channel goes down ('sms', 'voice', 'email', 'push:<provider>': the 2022 failure mode of
 * an SMS provider breach or outage). Every factor delivered over it stops working; nothing else changes.
 *
 *  - A **usable sign-in factor** is an active primary factor of strength ≥ 1: a password, security questions or a
 *    helpdesk reset is no second factor, so it does not get anyone through MFA.
 *  - **Affected**: the person has a usable sign-in factor on the channel.
 *  - **Locked out**: affected, and no usable sign-in factor left off the channel. They must recover.
 *  - Of those locked out, the way back in is their strongest recovery path off the channel:
 *    - **pushed to a weaker recovery path** when it is weaker than the best sign-in factor they had before
 *      (an attacker calling the service desk during the outage meets the same weak path);
 *    - **stranded** when no recovery path is left at all (only an unplanned service-desk reset);
 *    - otherwise they recover at the same strength or better.
 * The SQL in ./what-if-sql.ts computes the same thing per department; what-if.test.ts holds the two together.
 */
export type OutageFactor = Factor & { channel?: string | null };

export type OutageImpact = {
  affected: boolean;
  lockedOut: boolean;
  weakerRecovery: boolean;
  stranded: boolean;
  /** Best sign-in strength before the outage (the person's primary strength). */
  primaryBefore: Strength;
  /** Strongest recovery path left during the outage; null when none. */
  recoveryLeft: Strength | null;
};

export const OUTCOMES = ["affected", "locked_out", "weaker_recovery", "stranded"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export function outageImpact(factors: readonly OutageFactor[], channel: string, now: Date): OutageImpact {
  const active = factors.filter((f) => isActive(f, now));
  const onChannel = (f: OutageFactor) => f.channel === channel;
  const signIn = active.filter((f) => f.usage === "primary" && factorStrength(f) >= 1);
  const affected = signIn.some(onChannel);
  const lockedOut = affected && signIn.every(onChannel);
  const recoveries = active.filter((f) => f.usage === "recovery" && !onChannel(f)).map(factorStrength);
  const recoveryLeft = recoveries.length ? (Math.max(...recoveries) as Strength) : null;
  const primaryBefore = posture(active, now).primaryStrength;
  return {
    affected,
    lockedOut,
    weakerRecovery: lockedOut && recoveryLeft !== null && recoveryLeft < primaryBefore,
    stranded: lockedOut && recoveryLeft === null,
    primaryBefore,
    recoveryLeft,
  };
}

export const OUTCOME_LABELS: Record<Outcome, string> = {
  affected: "Sign in over this channel",
  locked_out: "Locked out",
  weaker_recovery: "Pushed to a weaker recovery path",
  stranded: "No recovery path left",
};

/** 'sms' → 'SMS', 'push:okta-verify' → 'Push (Okta Verify)'. */
export function channelLabel(channel: string): string {
  const fixed: Record<string, string> = { sms: "SMS", voice: "Voice call", email: "Email" };
  if (fixed[channel]) return fixed[channel];
  const [kind, provider] = channel.split(":");
  const acronyms = new Set(["sms", "otp", "api", "sso"]);
  const words = (s: string) =>
    s
      .split(/[-_]/)
      .filter(Boolean)
      .map((w) => (acronyms.has(w) ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1)))
      .join(" ");
  return provider ? `${words(kind)} (${words(provider)})` : words(kind);
}
