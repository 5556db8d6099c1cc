import {
  type AuthenticatorType,
  FACTOR_TYPE_LABELS,
  factorStrength,
  STRENGTH_LABELS,
  type Strength,
  type Usage,
} from "./strength";

/**
 * What each method of an identity provider's factor export counts as in Lockstep: the one table the import
 * (lib/factors/import), the import page and docs/FACTOR-IMPORTS.md all read, so what people see is what the
 * import does. Strengths are not written here: they come from strength.ts for the type and use.
 *
 * Rules (docs/STANDARDS.md, "Lockstep's strength scale"):
 * - A method is never guessed: a name not in this table is listed as unknown and counts for nothing.
 * - Where the export cannot tell two strengths apart (Okta push with or without number challenge, a WebAuthn
 *   authenticator that may be synced), the weaker one counts, and an organisation setting lifts it.
 * - A method the vendor also offers for getting back into the account (phone, email, security questions, the
 *   Authenticator app in Entra's self-service password reset) is a recovery path too; in Entra only for people
 *   whose export does not say they cannot use self-service password reset (`isSsprCapable` false).
 */
export type FactorSource = "entra" | "okta";

export const SOURCE_LABELS: Record<FactorSource, string> = { entra: "Microsoft Entra ID", okta: "Okta" };

/** Organisation settings that lift an ambiguous method to what the organisation knows it to be. */
export type LiftSettings = {
  /** Okta Verify push asks for the number shown at sign-in, for every user (Okta: number challenge "all"). */
  oktaNumberChallenge: boolean;
  /** Every WebAuthn authenticator enrolled at Okta is device-bound (keys only, or attestation limited to them). */
  oktaWebauthnDeviceBound: boolean;
  /** Okta FastPass always asks for user verification (biometrics or PIN) in the authentication policies. */
  oktaFastPassUserVerification: boolean;
};

export const LIFT_SETTINGS: Record<
  keyof LiftSettings,
  { key: string; label: string; description: string; source: FactorSource }
> = {
  oktaNumberChallenge: {
    key: "factor_okta_push_number_challenge",
    label: "Okta Verify push always asks for the number",
    description:
      "On when number challenge is required for every push in your Okta org (Security → Authenticators → Okta Verify, number challenge for all requests). Okta's factor list does not say so; without this, push counts as approve-only.",
    source: "okta",
  },
  oktaWebauthnDeviceBound: {
    key: "factor_okta_webauthn_device_bound",
    label: "Okta WebAuthn authenticators are device-bound",
    description:
      "On when your Okta org only allows device-bound authenticators for WebAuthn (security keys, or attestation restricted to hardware models). Otherwise a WebAuthn factor may be a synced passkey and counts as one.",
    source: "okta",
  },
  oktaFastPassUserVerification: {
    key: "factor_okta_fastpass_user_verification",
    label: "Okta FastPass always asks for user verification",
    description:
      "On when every authentication policy that allows FastPass requires user verification (biometrics or PIN). Otherwise FastPass counts as a device-bound key without user verification.",
    source: "okta",
  },
};

export const DEFAULT_LIFT_SETTINGS: LiftSettings = {
  oktaNumberChallenge: false,
  oktaWebauthnDeviceBound: false,
  oktaFastPassUserVerification: false,
};

/** What a method counts as: a Lockstep factor type (and whether it verifies the user, for keys and passkeys). */
type Target = { type: AuthenticatorType; userVerification?: boolean };

export type VendorMethod = {
  source: FactorSource;
  /** The vendor's name: an Entra `methodsRegistered` value, an Okta `factorType`. */
  method: string;
  label: string;
  /** Null: listed in the preview, not a factor (a temporary pass, a method whose strength the export cannot say). */
  as: Target | null;
  primary: boolean;
  /** Also a way back into the account: always, only where self-service password reset applies, or never. */
  recovery: "always" | "sspr" | "never";
  /** An organisation setting that lifts the conservative reading. */
  lift?: { setting: keyof LiftSettings; as: Target };
  /** Delivery channel of out-of-band methods ('sms', 'voice', 'email', 'push:<provider>'): the outage what-if reads it. */
  channel?: string;
  /** A temporary access pass: people who have nothing else are flagged. */
  temporaryPass?: boolean;
  note: string;
};

const m = (v: VendorMethod) => v;

export const VENDOR_METHODS: readonly VendorMethod[] = [
  // ── Microsoft Entra ID: userRegistrationDetails.methodsRegistered ──────────────────────────────────────
  m({
    source: "entra",
    method: "mobilePhone",
    label: "Mobile phone (SMS or voice)",
    as: { type: "sms_otp" },
    channel: "sms",
    primary: true,
    recovery: "sspr",
    note: "Codes by text or call: restricted (NIST 800-63B-4 3.1.3.3); also a self-service reset method.",
  }),
  m({
    source: "entra",
    method: "sms",
    label: "SMS",
    as: { type: "sms_otp" },
    channel: "sms",
    primary: true,
    recovery: "sspr",
    note: "Codes by text: restricted.",
  }),
  m({
    source: "entra",
    method: "alternateMobilePhone",
    label: "Alternate mobile phone (voice)",
    as: { type: "voice_otp" },
    channel: "voice",
    primary: true,
    recovery: "sspr",
    note: "Voice calls: restricted.",
  }),
  m({
    source: "entra",
    method: "officePhone",
    label: "Office phone (voice)",
    as: { type: "voice_otp" },
    channel: "voice",
    primary: true,
    recovery: "sspr",
    note: "Voice calls: restricted.",
  }),
  m({
    source: "entra",
    method: "email",
    label: "Email",
    as: { type: "email_otp" },
    channel: "email",
    primary: false,
    recovery: "sspr",
    note: "Entra uses email for self-service password reset only; email SHALL NOT be an out-of-band authenticator.",
  }),
  m({
    source: "entra",
    method: "securityQuestion",
    label: "Security questions",
    as: { type: "security_questions" },
    primary: false,
    recovery: "sspr",
    note: "Self-service password reset only; knowledge anyone may look up.",
  }),
  m({
    source: "entra",
    method: "microsoftAuthenticatorPush",
    label: "Microsoft Authenticator notification",
    as: { type: "push_number_match" },
    channel: "push:microsoft-authenticator",
    primary: true,
    recovery: "sspr",
    note: "Microsoft requires number matching on every Authenticator push since May 2023.",
  }),
  m({
    source: "entra",
    method: "microsoftAuthenticatorPasswordless",
    label: "Microsoft Authenticator phone sign-in",
    as: { type: "push_number_match" },
    channel: "push:microsoft-authenticator",
    primary: true,
    recovery: "never",
    note: "Passwordless phone sign-in with number matching: not phishing-resistant.",
  }),
  m({
    source: "entra",
    method: "softwareOneTimePasscode",
    label: "Software OATH code (authenticator app)",
    as: { type: "totp" },
    primary: true,
    recovery: "sspr",
    note: "Time-based codes from an app; the app code is also a self-service reset method.",
  }),
  m({
    source: "entra",
    method: "hardwareOneTimePasscode",
    label: "Hardware OATH token",
    as: { type: "hardware_otp" },
    primary: true,
    recovery: "never",
    note: "Codes from a hardware token: replay-resistant, not phishing-resistant.",
  }),
  m({
    source: "entra",
    method: "fido2",
    label: "FIDO2 security key",
    as: { type: "security_key" },
    primary: true,
    recovery: "never",
    note: "Entra reports synced passkeys separately (passKeySynced), so this is a device-bound key.",
  }),
  m({
    source: "entra",
    method: "fido2SecurityKey",
    label: "FIDO2 security key",
    as: { type: "security_key" },
    primary: true,
    recovery: "never",
    note: "A device-bound hardware key.",
  }),
  m({
    source: "entra",
    method: "passKeyDeviceBound",
    label: "Passkey (device-bound)",
    as: { type: "passkey_device_bound" },
    primary: true,
    recovery: "never",
    note: "Device-bound passkey: phishing-resistant, non-exportable.",
  }),
  m({
    source: "entra",
    method: "passKeyDeviceBoundAuthenticator",
    label: "Passkey in Microsoft Authenticator",
    as: { type: "passkey_device_bound" },
    primary: true,
    recovery: "never",
    note: "Device-bound passkey held by the Authenticator app.",
  }),
  m({
    source: "entra",
    method: "passKeyDeviceBoundWindowsHello",
    label: "Passkey in Windows Hello",
    as: { type: "passkey_device_bound" },
    primary: true,
    recovery: "never",
    note: "Device-bound passkey in the device's TPM.",
  }),
  m({
    source: "entra",
    method: "windowsHelloForBusiness",
    label: "Windows Hello for Business",
    as: { type: "passkey_device_bound" },
    primary: true,
    recovery: "never",
    note: "Key bound to the device's TPM, unlocked by PIN or biometrics.",
  }),
  m({
    source: "entra",
    method: "macOsSecureEnclaveKey",
    label: "macOS Platform SSO (Secure Enclave key)",
    as: { type: "passkey_device_bound" },
    primary: true,
    recovery: "never",
    note: "Key in the Mac's Secure Enclave.",
  }),
  m({
    source: "entra",
    method: "passKeySynced",
    label: "Passkey (synced)",
    as: { type: "passkey_synced" },
    primary: true,
    recovery: "never",
    note: "Synced passkeys are phishing-resistant but exportable: AAL2 at most.",
  }),
  m({
    source: "entra",
    method: "temporaryAccessPass",
    label: "Temporary Access Pass",
    as: null,
    primary: false,
    recovery: "never",
    temporaryPass: true,
    note: "A time-limited pass an administrator issues (10 minutes to 30 days): not a standing factor. People whose only method it is are flagged.",
  }),
  m({
    source: "entra",
    method: "externalAuthMethod",
    label: "External authentication method",
    as: null,
    primary: false,
    recovery: "never",
    note: "A third-party provider's method: the export does not say which, so it is listed and not counted.",
  }),
  m({
    source: "entra",
    method: "qrCode",
    label: "QR code with PIN",
    as: null,
    primary: false,
    recovery: "never",
    note: "Frontline sign-in with a QR code and a PIN: a single factor, listed and not counted.",
  }),

  // ── Okta: List Factors (GET /api/v1/users/{id}/factors), factorType; only ACTIVE factors count ────────
  m({
    source: "okta",
    method: "sms",
    label: "SMS",
    as: { type: "sms_otp" },
    channel: "sms",
    primary: true,
    recovery: "always",
    note: "Codes by text: restricted; Okta also offers SMS for self-service recovery.",
  }),
  m({
    source: "okta",
    method: "call",
    label: "Voice call",
    as: { type: "voice_otp" },
    channel: "voice",
    primary: true,
    recovery: "always",
    note: "Codes by call: restricted; also a recovery channel.",
  }),
  m({
    source: "okta",
    method: "email",
    label: "Email",
    as: { type: "email_otp" },
    channel: "email",
    primary: true,
    recovery: "always",
    note: "Email codes and links: non-conformant as an authenticator; also a recovery channel.",
  }),
  m({
    source: "okta",
    method: "push",
    label: "Okta Verify push",
    as: { type: "push_approve" },
    channel: "push:okta-verify",
    primary: true,
    recovery: "never",
    lift: { setting: "oktaNumberChallenge", as: { type: "push_number_match" } },
    note: "The factor list does not say whether number challenge is on: approve-only until the organisation says it always is.",
  }),
  m({
    source: "okta",
    method: "token:software:totp",
    label: "Authenticator app code (Okta Verify, Google Authenticator)",
    as: { type: "totp" },
    primary: true,
    recovery: "never",
    note: "Time-based codes from an app.",
  }),
  m({
    source: "okta",
    method: "token:hotp",
    label: "Custom HOTP token",
    as: { type: "totp" },
    primary: true,
    recovery: "never",
    note: "Counter-based codes: replay-resistant, not phishing-resistant.",
  }),
  m({
    source: "okta",
    method: "token",
    label: "OTP token (RSA SecurID, Symantec VIP)",
    as: { type: "hardware_otp" },
    primary: true,
    recovery: "never",
    note: "Codes from a token.",
  }),
  m({
    source: "okta",
    method: "token:hardware",
    label: "YubiKey OTP",
    as: { type: "hardware_otp" },
    primary: true,
    recovery: "never",
    note: "Hardware one-time passwords (Yubico OTP mode): not phishing-resistant.",
  }),
  m({
    source: "okta",
    method: "webauthn",
    label: "WebAuthn (security key or biometric)",
    as: { type: "passkey_synced" },
    primary: true,
    recovery: "never",
    lift: { setting: "oktaWebauthnDeviceBound", as: { type: "passkey_device_bound" } },
    note: "May be a synced passkey: counts as one until the organisation says its authenticators are device-bound.",
  }),
  m({
    source: "okta",
    method: "u2f",
    label: "U2F security key",
    as: { type: "security_key", userVerification: false },
    primary: true,
    recovery: "never",
    note: "Legacy U2F proves presence, not the user (no PIN or biometric): one level lower, not phishing-resistant in Lockstep's reading.",
  }),
  m({
    source: "okta",
    method: "signed_nonce",
    label: "Okta FastPass",
    as: { type: "passkey_device_bound", userVerification: false },
    primary: true,
    recovery: "never",
    lift: { setting: "oktaFastPassUserVerification", as: { type: "passkey_device_bound", userVerification: true } },
    note: "A device-bound key in Okta Verify; user verification is a policy choice, so it counts without until the organisation says it is always asked.",
  }),
  m({
    source: "okta",
    method: "web",
    label: "Duo Security",
    as: { type: "push_approve" },
    channel: "push:duo",
    primary: true,
    recovery: "never",
    note: "Duo's own settings (Verified Push) are not in the export: counts as approve-only push.",
  }),
  m({
    source: "okta",
    method: "question",
    label: "Security question",
    as: { type: "security_questions" },
    primary: true,
    recovery: "never",
    note: "Knowledge anyone may look up: no strength.",
  }),
];

const BY_KEY = new Map(VENDOR_METHODS.map((v) => [`${v.source}:${v.method}`, v]));
/** Entra CSV exports name methods as people read them ("Mobile phone", "FIDO2 security key"): same letters. */
const fold = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
const ENTRA_ALIASES: Record<string, string> = {
  securityquestions: "securityQuestion",
  softwareoathtoken: "softwareOneTimePasscode",
  hardwareoathtoken: "hardwareOneTimePasscode",
  microsoftauthenticatorapp: "microsoftAuthenticatorPush",
  microsoftauthenticatornotification: "microsoftAuthenticatorPush",
  microsoftpasswordlessphonesignin: "microsoftAuthenticatorPasswordless",
  passkeydevicebound: "passKeyDeviceBound",
  passkeysynced: "passKeySynced",
  fido2securitykey: "fido2SecurityKey",
  tap: "temporaryAccessPass",
};
const ENTRA_FOLDED = new Map<string, string>([
  ...VENDOR_METHODS.filter((v) => v.source === "entra").map((v) => [fold(v.method), v.method] as [string, string]),
  ...Object.entries(ENTRA_ALIASES),
]);

/** The table entry for a vendor's method name, or null when the name is unknown (listed, never guessed). */
export function vendorMethod(source: FactorSource, name: string): VendorMethod | null {
  const exact = BY_KEY.get(`${source}:${name}`);
  if (exact) return exact;
  if (source === "entra") {
    const canonical = ENTRA_FOLDED.get(fold(name));
    return canonical ? (BY_KEY.get(`entra:${canonical}`) ?? null) : null;
  }
  return BY_KEY.get(`okta:${name.trim().toLowerCase()}`) ?? null;
}

/** What the method counts as under the organisation's settings. */
export function targetOf(v: VendorMethod, settings: LiftSettings): Target | null {
  return v.lift && settings[v.lift.setting] ? v.lift.as : v.as;
}

/** The uses a method counts for; `sspr` false means the export says self-service password reset is not open to them. */
export function usagesOf(v: VendorMethod, sspr: boolean | null): Usage[] {
  const out: Usage[] = [];
  if (v.primary) out.push("primary");
  if (v.recovery === "always" || (v.recovery === "sspr" && sspr !== false)) out.push("recovery");
  return out;
}

export type MappingRow = {
  source: FactorSource;
  method: string;
  label: string;
  counts: string;
  usages: string;
  primary: Strength | null;
  recovery: Strength | null;
  lifted: string | null;
  note: string;
};

const strengthOf = (t: Target, usage: Usage) =>
  factorStrength({ type: t.type, usage, userVerification: t.userVerification });
const describeTarget = (t: Target) =>
  `${FACTOR_TYPE_LABELS[t.type]}${t.userVerification === false ? " (no user verification)" : ""}`;

/** The table as the page and the docs show it: one row per vendor method, with strengths from strength.ts. */
export function mappingRows(source?: FactorSource): MappingRow[] {
  return VENDOR_METHODS.filter((v) => !source || v.source === source).map((v) => {
    const usages = v.as ? usagesOf(v, null) : [];
    const lift = v.lift;
    const lifted = lift
      ? `${describeTarget(lift.as)}, strength ${usages.map((u) => strengthOf(lift.as, u)).join(" / ")}, when “${LIFT_SETTINGS[lift.setting].label}” is on`
      : null;
    return {
      source: v.source,
      method: v.method,
      label: v.label,
      counts: v.as
        ? describeTarget(v.as)
        : v.temporaryPass
          ? "Not a factor (flagged when alone)"
          : "Not counted (listed)",
      usages: usages
        .map((u) => (u === "recovery" && v.recovery === "sspr" ? "recovery (if self-service reset)" : u))
        .join(" + "),
      primary: v.as && usages.includes("primary") ? strengthOf(v.as, "primary") : null,
      recovery: v.as && usages.includes("recovery") ? strengthOf(v.as, "recovery") : null,
      lifted,
      note: v.note,
    };
  });
}

/** The mapping as a Markdown table (docs/FACTOR-IMPORTS.md holds this output; a test keeps them equal). */
export function mappingMarkdown(source: FactorSource): string {
  const s = (x: Strength | null) => (x === null ? "—" : `${x} ${STRENGTH_LABELS[x]}`);
  const cell = (t: string) => t.replace(/\|/g, "\\|");
  const lines = [
    "| vendor method | what it is | counts as | use | strength (primary) | strength (recovery) | lifted by a setting | why |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...mappingRows(source).map((r) =>
      [`\`${r.method}\``, r.label, r.counts, r.usages || "—", s(r.primary), s(r.recovery), r.lifted ?? "—", r.note]
        .map(cell)
        .join(" | "),
    ),
  ];
  return lines.map((l) => (l.startsWith("|") ? l : `| ${l} |`)).join("\n");
}
