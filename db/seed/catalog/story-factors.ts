/**
 * Factors of the story people, so the demo shows specific situations: strong personas, a CFO and a sales
 * manager whose SMS recovery drags a strong primary down to "restricted", a leaver with an email fallback,
 * and Felix, whose lost security key is the subject of a pending account-recovery request.
 */
export type StoryFactor = {
  type: string;
  usage: "primary" | "recovery";
  label: string;
  channel?: string;
  status?: "active" | "revoked" | "expired";
  enrolledDaysAgo: number;
  /** A revoked factor's last use is when it was replaced. */
  lastUsedDaysAgo?: number;
};

const key = (label: string, days: number): StoryFactor => ({
  type: "security_key",
  usage: "primary",
  label,
  enrolledDaysAgo: days,
});
const backupKey = (days: number): StoryFactor => ({
  type: "security_key",
  usage: "recovery",
  label: "Backup YubiKey 5 Nano",
  enrolledDaysAgo: days,
});
const sms = (usage: "primary" | "recovery", last4: string, days: number): StoryFactor => ({
  type: "sms_otp",
  usage,
  label: `+1 ••• ••• ${last4}`,
  channel: "sms",
  enrolledDaysAgo: days,
});

export const STORY_FACTORS: Record<string, StoryFactor[]> = {
  avery: [key("YubiKey 5C NFC", 210), backupKey(210)],
  jordan: [
    { type: "passkey_device_bound", usage: "primary", label: "Touch ID (MacBook Pro)", enrolledDaysAgo: 150 },
    {
      type: "in_person_proofing",
      usage: "recovery",
      label: "In-person re-proofing at the IT desk",
      enrolledDaysAgo: 150,
    },
  ],
  maya: [
    { type: "passkey_device_bound", usage: "primary", label: "Touch ID (MacBook Pro)", enrolledDaysAgo: 95 },
    backupKey(95),
    {
      type: "sms_otp",
      usage: "primary",
      label: "+1 ••• ••• 3307",
      channel: "sms",
      status: "revoked",
      enrolledDaysAgo: 1400,
      lastUsedDaysAgo: 95,
    },
  ],
  luis: [
    { type: "passkey_synced", usage: "primary", label: "iCloud Keychain passkey", enrolledDaysAgo: 60 },
    sms("recovery", "7712", 900),
  ],
  sam: [key("YubiKey 5C NFC", 400), backupKey(400)],
  noor: [
    { type: "piv", usage: "primary", label: "PIV card 8231", enrolledDaysAgo: 700 },
    { type: "helpdesk_proofed", usage: "recovery", label: "Service desk reset (ID verified)", enrolledDaysAgo: 700 },
  ],
  grace: [
    key("YubiKey Bio", 330),
    {
      type: "in_person_proofing",
      usage: "recovery",
      label: "In-person re-proofing at the IT desk",
      enrolledDaysAgo: 330,
    },
  ],
  elena: [
    key("YubiKey 5C NFC", 500),
    key("YubiKey 5 Nano (travel)", 500),
    {
      type: "in_person_proofing",
      usage: "recovery",
      label: "In-person re-proofing at the IT desk",
      enrolledDaysAgo: 500,
    },
  ],
  david: [
    key("YubiKey 5C NFC", 45),
    sms("recovery", "0142", 1100),
    {
      type: "push_approve",
      usage: "primary",
      label: "Okta Verify (iPhone)",
      channel: "push:okta-verify",
      status: "revoked",
      enrolledDaysAgo: 1100,
      lastUsedDaysAgo: 45,
    },
  ],
  priya: [
    { type: "passkey_device_bound", usage: "primary", label: "Windows Hello (TW-WIN-000070)", enrolledDaysAgo: 260 },
    backupKey(260),
  ],
  ravi: [
    key("YubiKey 5C NFC", 120),
    {
      type: "email_otp",
      usage: "recovery",
      label: "Personal email (r•••@gmail.com)",
      channel: "email",
      enrolledDaysAgo: 800,
    },
  ],
  daniel: [key("YubiKey 5C NFC", 75), sms("recovery", "5590", 1200)],
  felix: [
    {
      type: "security_key",
      usage: "primary",
      label: "YubiKey 5C NFC (reported lost)",
      status: "revoked",
      enrolledDaysAgo: 300,
      lastUsedDaysAgo: 1,
    },
    { type: "totp", usage: "primary", label: "Microsoft Authenticator", enrolledDaysAgo: 600 },
    { type: "recovery_codes", usage: "recovery", label: "10 backup codes (6 left)", enrolledDaysAgo: 300 },
  ],
  hiro: [
    key("YubiKey 5C NFC", 240),
    { type: "recovery_codes", usage: "recovery", label: "10 backup codes", enrolledDaysAgo: 240 },
  ],
  emma: [
    {
      type: "push_number_match",
      usage: "primary",
      label: "Okta Verify (iPhone) — number matching",
      channel: "push:okta-verify",
      enrolledDaysAgo: 500,
    },
    sms("recovery", "9051", 500),
  ],
  diego: [
    { type: "passkey_synced", usage: "primary", label: "Google Password Manager passkey", enrolledDaysAgo: 200 },
    {
      type: "email_otp",
      usage: "recovery",
      label: "Personal email (d•••@gmail.com)",
      channel: "email",
      enrolledDaysAgo: 300,
    },
  ],
  ben: [
    sms("primary", "2218", 700),
    {
      type: "email_otp",
      usage: "recovery",
      label: "Personal email (b•••@outlook.com)",
      channel: "email",
      enrolledDaysAgo: 700,
    },
  ],
  chloe: [
    {
      type: "push_approve",
      usage: "primary",
      label: "Okta Verify (iPhone)",
      channel: "push:okta-verify",
      enrolledDaysAgo: 900,
    },
    sms("recovery", "6604", 900),
  ],
};
