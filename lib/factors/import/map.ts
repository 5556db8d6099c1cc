import type { Parsed } from "@/lib/imports/types";
import { type AuthenticatorType, posture, type Strength, type Usage } from "../strength";
import {
  type FactorSource,
  type LiftSettings,
  targetOf,
  usagesOf,
  type VendorMethod,
  vendorMethod,
} from "../vendor-mapping";

/**
 * One person's methods from an export, mapped through the vendor table (no database): what an import row carries
 * into validate and apply. Plain data and functions, shared by the Entra and Okta adapters.
 */
export type ImportedFactor = {
  /** The vendor's key of the method within the person (Okta factor id, Entra method name). */
  key: string;
  method: string;
  type: AuthenticatorType;
  usage: Usage;
  uv: boolean;
  label: string;
  channel: string | null;
  /** When the vendor says it was enrolled (Okta `created`); else the first import's clock. */
  enrolledAt: string | null;
};
export type FactorFlag = "guest" | "temporary_pass_only" | "password_only";

export type PersonRecord = {
  /** Identifiers to match, lower-cased, in order of preference (UPN; Okta login, then email). */
  ids: string[];
  /** How the file names the person (shown when nobody matches). */
  shown: string;
  displayName: string | null;
  factors: ImportedFactor[];
  /** Methods the file lists that do not count: not active (Okta status), or listed-only in the table. */
  ignored: { method: string; reason: string }[];
  /** Method names the table does not know: listed, never guessed. */
  unknown: string[];
  flags: FactorFlag[];
};

/** A method as the vendor reports it, before mapping. */
export type RawMethod = {
  key: string;
  name: string;
  /** Okta factor status; Entra lists registered methods only (always counted). */
  status?: string | null;
  /** A device or key name, a masked phone number: shown with the factor. */
  detail?: string | null;
  enrolledAt?: string | null;
  /** Okta provider (GOOGLE, FIDO, DUO…), shown with the method. */
  provider?: string | null;
};

export function mapPerson(
  source: FactorSource,
  raw: RawMethod[],
  opts: { settings: LiftSettings; sspr: boolean | null; guest: boolean },
): Pick<PersonRecord, "factors" | "ignored" | "unknown" | "flags"> {
  const factors: ImportedFactor[] = [];
  const ignored: PersonRecord["ignored"] = [];
  const unknown: string[] = [];
  let temporaryPass = false;
  for (const r of raw) {
    const v: VendorMethod | null = vendorMethod(source, r.name);
    if (!v) {
      if (!unknown.includes(r.name)) unknown.push(r.name);
      continue;
    }
    if (r.status && r.status.toUpperCase() !== "ACTIVE") {
      ignored.push({ method: r.name, reason: `${r.status.toUpperCase()}: not active, not counted` });
      continue;
    }
    if (v.temporaryPass) temporaryPass = true;
    const target = targetOf(v, opts.settings);
    if (!target) {
      ignored.push({
        method: r.name,
        reason: v.temporaryPass ? "temporary pass, not a factor" : "listed, not counted",
      });
      continue;
    }
    const label = [v.label, r.detail, r.provider && source === "okta" ? r.provider : null].filter(Boolean).join(" · ");
    for (const usage of usagesOf(v, opts.sspr)) {
      // The same method twice in one record (a duplicated Entra name) is one factor.
      if (factors.some((f) => f.key === r.key && f.usage === usage)) continue;
      factors.push({
        key: r.key,
        method: v.method,
        type: target.type,
        usage,
        uv: target.userVerification ?? true,
        label: label.slice(0, 200),
        channel: v.channel ?? null,
        enrolledAt: r.enrolledAt ?? null,
      });
    }
  }
  const flags: FactorFlag[] = [];
  if (opts.guest) flags.push("guest");
  // Nothing to sign in with but the password: onboarding not finished (a pass issued) or never started.
  if (!factors.some((f) => f.usage === "primary")) flags.push(temporaryPass ? "temporary_pass_only" : "password_only");
  return { factors, ignored, unknown, flags };
}

/** The strengths this export alone gives the person (the preview shows them; posture also counts other factors). */
export function exportStrength(factors: readonly ImportedFactor[]): { primary: Strength; effective: Strength } {
  const p = posture(
    factors.map((f) => ({ type: f.type, usage: f.usage, status: "active" as const, userVerification: f.uv })),
    new Date(0),
  );
  return { primary: p.primaryStrength, effective: p.effectiveStrength };
}

export const FLAG_LABELS: Record<FactorFlag, string> = {
  guest: "Guest account",
  temporary_pass_only: "Only a temporary access pass",
  password_only: "No sign-in factor besides the password",
};

/** "yes", "True", "1" → true; "no", "False", "0" → false; blank or anything else → null. */
export function booleanOf(v: unknown): boolean | null {
  if (typeof v === "boolean") return v;
  if (typeof v !== "string") return null;
  const s = v.trim().toLowerCase();
  if (["true", "yes", "1", "y"].includes(s)) return true;
  if (["false", "no", "0", "n"].includes(s)) return false;
  return null;
}

/** A record that cannot be read: an error at its line (and JSON pointer), which blocks the whole export. */
export const invalidRecord = (message: string, at: { line?: number; pointer?: string }): Parsed => ({
  type: "row",
  status: "error",
  code: "invalid",
  ...at,
  message,
  data: {},
});
