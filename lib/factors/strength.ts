import type { authenticatorType } from "@/db/schema/enums";

/**
 * Lockstep's 0–5 factor-strength scale, derived from NIST SP 800-63B-4 (docs/STANDARDS.md). Plain data and
 * functions: the SQL rollup (./posture.ts) is generated from these same tables, so the two cannot drift.
 */
export type AuthenticatorType = (typeof authenticatorType.enumValues)[number];
export type Usage = "primary" | "recovery";
export type Strength = 0 | 1 | 2 | 3 | 4 | 5;

export const STRENGTH_LABELS: Record<Strength, string> = {
  0: "None",
  1: "Non-conformant",
  2: "Restricted",
  3: "AAL2",
  4: "Phishing-resistant AAL2",
  5: "Phishing-resistant AAL3",
};

/** What people call each factor type. */
export const FACTOR_TYPE_LABELS: Record<AuthenticatorType, string> = {
  password: "Password",
  security_questions: "Security questions",
  email_otp: "Email code",
  push_approve: "Push (approve only)",
  sms_otp: "SMS code",
  voice_otp: "Voice call code",
  totp: "Authenticator app",
  hardware_otp: "Hardware OTP token",
  push_number_match: "Push (number matching)",
  recovery_codes: "Recovery codes",
  helpdesk_proofed: "Service desk (ID verified)",
  helpdesk_unverified: "Service desk (no ID check)",
  passkey_synced: "Synced passkey",
  passkey_device_bound: "Device-bound passkey",
  security_key: "Security key",
  piv: "PIV card",
  in_person_proofing: "In-person re-proofing",
};

/** Strength of each factor when used to sign in. */
export const PRIMARY_STRENGTH: Record<AuthenticatorType, Strength> = {
  password: 0,
  security_questions: 0,
  helpdesk_unverified: 0,
  helpdesk_proofed: 0,
  in_person_proofing: 0,
  email_otp: 1,
  push_approve: 1,
  sms_otp: 2,
  voice_otp: 2,
  totp: 3,
  hardware_otp: 3,
  push_number_match: 3,
  recovery_codes: 3,
  passkey_synced: 4,
  passkey_device_bound: 5,
  security_key: 5,
  piv: 5,
};

/** Strength of each method when used as a way back in (account recovery). */
export const RECOVERY_STRENGTH: Record<AuthenticatorType, Strength> = {
  password: 0,
  security_questions: 0,
  helpdesk_unverified: 0,
  email_otp: 1,
  push_approve: 1,
  sms_otp: 2,
  voice_otp: 2,
  totp: 3,
  hardware_otp: 3,
  push_number_match: 3,
  recovery_codes: 3,
  helpdesk_proofed: 3,
  passkey_synced: 4,
  passkey_device_bound: 5,
  security_key: 5,
  piv: 5,
  in_person_proofing: 5,
};

/** Cryptographic authenticators with verifier-name or channel binding (800-63B-4 sec. 3.2.5). */
export const PHISHING_RESISTANT: ReadonlySet<AuthenticatorType> = new Set([
  "passkey_synced",
  "passkey_device_bound",
  "security_key",
  "piv",
]);

/** Passkeys and keys without user verification count one level lower. */
export const UV_SENSITIVE: ReadonlySet<AuthenticatorType> = new Set([
  "passkey_synced",
  "passkey_device_bound",
  "security_key",
]);

export type Factor = {
  type: AuthenticatorType;
  usage: Usage;
  status: "active" | "revoked" | "expired";
  userVerification?: boolean;
  expiresAt?: Date | null;
};

export function factorStrength(f: Pick<Factor, "type" | "usage" | "userVerification">): Strength {
  const base = (f.usage === "primary" ? PRIMARY_STRENGTH : RECOVERY_STRENGTH)[f.type];
  return (UV_SENSITIVE.has(f.type) && f.userVerification === false ? Math.max(0, base - 1) : base) as Strength;
}

/** A passkey or key without user verification is a single factor, so it does not count; PIV always has its PIN. */
export function isPhishingResistant(f: Pick<Factor, "type" | "userVerification">): boolean {
  return PHISHING_RESISTANT.has(f.type) && (!UV_SENSITIVE.has(f.type) || f.userVerification !== false);
}

/** Highest NIST AAL a factor of this strength can support. */
export function maxAal(strength: Strength): 1 | 2 | 3 {
  return strength === 5 ? 3 : strength >= 2 ? 2 : 1;
}

export function isActive(f: Factor, now: Date): boolean {
  return f.status === "active" && (!f.expiresAt || f.expiresAt > now);
}

export type Posture = {
  primaryStrength: Strength;
  /** Null when there is no active recovery path. */
  recoveryStrength: Strength | null;
  effectiveStrength: Strength;
  phishingResistant: boolean;
};

/** Effective strength = min(best active primary, weakest active recovery); no second factor = 0. */
export function posture(factors: readonly Factor[], now: Date): Posture {
  const active = factors.filter((f) => isActive(f, now));
  const primaries = active.filter((f) => f.usage === "primary");
  const recoveries = active.filter((f) => f.usage === "recovery");
  const primaryStrength = Math.max(0, ...primaries.map(factorStrength)) as Strength;
  const recoveryStrength = recoveries.length ? (Math.min(...recoveries.map(factorStrength)) as Strength) : null;
  return {
    primaryStrength,
    recoveryStrength,
    effectiveStrength: (recoveryStrength === null
      ? primaryStrength
      : Math.min(primaryStrength, recoveryStrength)) as Strength,
    phishingResistant: primaries.some(isPhishingResistant),
  };
}

/**
 * The factors that set a person's effective strength — their weakest way in: the weakest recovery paths when
 * recovery is weaker than the best sign-in factor, otherwise the best sign-in factors. Active factors only.
 */
export function limitingFactorIds<T extends Factor & { id: number }>(active: readonly T[]): number[] {
  const primaries = active.filter((f) => f.usage === "primary");
  const recoveries = active.filter((f) => f.usage === "recovery");
  const best = Math.max(0, ...primaries.map(factorStrength));
  const weakest = recoveries.length ? Math.min(...recoveries.map(factorStrength)) : null;
  if (weakest !== null && weakest < best)
    return recoveries.filter((f) => factorStrength(f) === weakest).map((f) => f.id);
  return primaries.filter((f) => factorStrength(f) === best).map((f) => f.id);
}
