import { Badge, type Tone } from "./badge";

const TONE: Record<string, Tone> = {
  active: "success",
  leaver: "warning",
  disabled: "neutral",
  revoked: "neutral",
  expired: "neutral",
  deleted: "neutral",
  pending: "neutral",
  running: "info",
  done: "info",
  verified: "success",
  failed: "danger",
  waived: "violet",
  open: "info",
  in_progress: "info",
  closed: "success",
  reopened: "danger",
  approved: "success",
  denied: "danger",
  cancelled: "neutral",
  draft: "neutral",
};

const ACRONYMS: Record<string, string> = {
  api: "API",
  saas: "SaaS",
  pam: "PAM",
  mdm: "MDM",
  sso: "SSO",
  hr: "HR",
  sms: "SMS",
  otp: "OTP",
  totp: "TOTP",
  piv: "PIV",
  ssh: "SSH",
  oauth: "OAuth",
  scim: "SCIM",
  pii: "PII",
  ai: "AI",
};

/** `service_account` → "Service account", `sms_otp` → "SMS OTP": enum values as people read them. */
export function humanize(value: string): string {
  const words = value.split("_").map((w) => ACRONYMS[w] ?? w);
  const s = words.join(" ");
  return ACRONYMS[value.split("_")[0]] ? s : s.charAt(0).toUpperCase() + s.slice(1);
}

/** One badge for every lifecycle status in the product, so a state reads the same on every page. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={TONE[status] ?? "neutral"}>{humanize(status)}</Badge>;
}
