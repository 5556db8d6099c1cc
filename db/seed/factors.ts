import { authenticators } from "@/db/schema";
import { PRIMARY_STRENGTH, RECOVERY_STRENGTH } from "@/lib/factors/strength";
import { STORY_FACTORS } from "./catalog/story-factors";
import { analyze, daysAgo, exec, type SeedCtx, say } from "./context";
import { pick, u, weighted } from "./random";

/**
 * Authenticators. Each person gets a primary factor drawn from their department's mix (SMS still common
 * in Sales, Support and Facilities; keys, device-bound passkeys and PIV in Engineering, Security, IT, Finance and
 * leadership, more so for managers), usually a recovery path whose strength depends on the primary (a share
 * of strong accounts keep a weak SMS/email/helpdesk fallback), sometimes a second primary, and the revoked
 * factor an upgrade replaced. The revoked predecessors carry the history the posture trend is built from.
 */
type Mix = ReadonlyArray<readonly [string, number]>;

const PRIMARY_MIX: Record<string, Mix> = {
  lead: [
    ["security_key", 40],
    ["passkey_device_bound", 28],
    ["piv", 8],
    ["passkey_synced", 14],
    ["push_number_match", 7],
    ["totp", 3],
  ],
  strong: [
    ["security_key", 28],
    ["passkey_device_bound", 20],
    ["passkey_synced", 16],
    ["piv", 4],
    ["push_number_match", 18],
    ["totp", 8],
    ["sms_otp", 4],
    ["push_approve", 2],
  ],
  mid: [
    ["push_number_match", 30],
    ["totp", 12],
    ["passkey_synced", 18],
    ["security_key", 10],
    ["passkey_device_bound", 7],
    ["sms_otp", 15],
    ["push_approve", 6],
    ["email_otp", 2],
  ],
  weak: [
    ["sms_otp", 40],
    ["voice_otp", 3],
    ["push_approve", 13],
    ["email_otp", 4],
    ["push_number_match", 20],
    ["totp", 7],
    ["passkey_synced", 9],
    ["security_key", 4],
  ],
};
const RECOVERY_MIX: Record<string, Mix> = {
  // Issued with a key during the rollout: mostly a second key or in-person re-proofing.
  paired: [
    ["security_key", 55],
    ["in_person_proofing", 20],
    ["passkey_synced", 5],
    ["recovery_codes", 10],
    ["sms_otp", 5],
    ["email_otp", 3],
    ["helpdesk_unverified", 2],
  ],
  strong: [
    ["sms_otp", 12],
    ["email_otp", 7],
    ["helpdesk_unverified", 6],
    ["recovery_codes", 24],
    ["security_key", 20],
    ["helpdesk_proofed", 10],
    ["passkey_synced", 8],
    ["in_person_proofing", 13],
  ],
  aal2: [
    ["sms_otp", 25],
    ["email_otp", 15],
    ["helpdesk_unverified", 8],
    ["recovery_codes", 35],
    ["helpdesk_proofed", 17],
  ],
  weak: [
    ["sms_otp", 45],
    ["email_otp", 30],
    ["helpdesk_unverified", 15],
    ["recovery_codes", 10],
  ],
};

const strengthCase = (col: string, table: Record<string, number>) =>
  `(CASE ${col} ${Object.entries(table)
    .map(([t, n]) => `WHEN '${t}' THEN ${n}`)
    .join(" ")} END)`;

const LABELS: Record<string, string> = {
  security_key: "(ARRAY['YubiKey 5C NFC', 'YubiKey 5 Nano', 'YubiKey Bio', 'Feitian ePass K9'])[1 + x.pl % 4]",
  passkey_device_bound: "(ARRAY['Touch ID (MacBook)', 'Windows Hello', 'Platform passkey (Pixel)'])[1 + x.pl % 3]",
  passkey_synced:
    "(ARRAY['iCloud Keychain passkey', 'Google Password Manager passkey', '1Password passkey'])[1 + x.pl % 3]",
  piv: "'PIV card ' || lpad((x.pl % 10000)::text, 4, '0')",
  sms_otp: "'+1 ••• ••• ' || lpad((x.pl % 10000)::text, 4, '0')",
  voice_otp: "'+1 ••• ••• ' || lpad((x.pl % 10000)::text, 4, '0') || ' (voice)'",
  email_otp:
    "'Personal email (' || substr(md5(x.id::text), 1, 1) || '•••@' || (ARRAY['gmail.com', 'outlook.com', 'yahoo.com'])[1 + x.pl % 3] || ')'",
  push_approve: "(ARRAY['Okta Verify (iPhone)', 'Okta Verify (Android)', 'Duo Mobile'])[1 + x.pl % 3]",
  push_number_match:
    "(ARRAY['Okta Verify (iPhone)', 'Okta Verify (Android)', 'Duo Mobile'])[1 + x.pl % 3] || ' — number matching'",
  totp: "(ARRAY['Google Authenticator', 'Microsoft Authenticator', '1Password TOTP'])[1 + x.pl % 3]",
  hardware_otp: "'RSA SecurID token'",
  recovery_codes: "'10 backup codes'",
  helpdesk_proofed: "'Service desk reset (ID verified)'",
  helpdesk_unverified: "'Service desk reset (no ID check)'",
  in_person_proofing: "'In-person re-proofing at the IT desk'",
};
const label = (col: string) =>
  `(CASE ${col} ${Object.entries(LABELS)
    .map(([t, e]) => `WHEN '${t}' THEN ${e}`)
    .join(" ")} END)`;
const channel = (col: string) =>
  `(CASE WHEN ${col} = 'sms_otp' THEN 'sms' WHEN ${col} = 'voice_otp' THEN 'voice' WHEN ${col} = 'email_otp' THEN 'email'
         WHEN ${col} LIKE 'push%' THEN CASE WHEN x.pl % 4 = 3 THEN 'push:duo' ELSE 'push:okta-verify' END END)`;

export async function seedFactors(ctx: SeedCtx): Promise<void> {
  const storyIds = Object.keys(STORY_FACTORS).map((k) => ctx.ids[k]);
  const group = `CASE WHEN p.family IN ('engineering', 'security', 'finance', 'leadership', 'it') THEN (CASE WHEN p.is_manager THEN 'lead' ELSE 'strong' END)
                      WHEN p.family IN ('sales', 'support', 'facilities') THEN (CASE WHEN p.is_manager THEN 'mid' ELSE 'weak' END)
                      ELSE (CASE WHEN p.is_manager THEN 'strong' ELSE 'mid' END) END`;
  // One row per person: the primary and recovery types, and the dates the other slots depend on, computed
  // in layers (each needs the one before). OFFSET 0 keeps the planner from flattening the layers, which
  // would inline each expression into every later use and evaluate it many times per person.
  await exec(
    ctx,
    `CREATE TEMP TABLE seed_pf ON COMMIT DROP AS
    SELECT r.*, CASE WHEN r.upgraded THEN r.enrolled WHEN r.fixer THEN 10 + 160 * r.u5
                     ELSE least(r.hire_days, r.enrolled + 30 * r.u5) END AS rec_enrolled,
           -- The weak fallback that the current, stronger recovery replaced.
           r.u5 < 0.82 AND ((r.upgraded AND r.u1 < 0.8 AND r.rs > 2) OR r.fixer) AS replaced
      FROM (
        -- Fixers replaced a weak fallback with a stronger one during the last months (the fallback gap closing).
        SELECT q.*, ${strengthCase("q.rtype", RECOVERY_STRENGTH)} AS rs,
               NOT q.upgraded AND ${strengthCase("q.rtype", RECOVERY_STRENGTH)} > 2 AND q.hire_days > 200 AND q.u1 < 0.25 AS fixer
          FROM (
            SELECT e.*,
                   -- Security staff hold a second key or re-proof in person, like everyone issued a key in the rollout.
                   CASE WHEN e.upgraded OR (e.ps >= 4 AND e.family = 'security') THEN ${weighted("e.u4", RECOVERY_MIX.paired)}
                        WHEN e.ps >= 4 THEN ${weighted("e.u4", RECOVERY_MIX.strong)}
                        WHEN e.ps = 3 THEN ${weighted("e.u4", RECOVERY_MIX.aal2)} ELSE ${weighted("e.u4", RECOVERY_MIX.weak)} END AS rtype
              FROM (
                -- Upgraded = the phishing-resistant primary replaced an older factor within the last year.
                SELECT d.*, d.ps >= 4 AND d.enrolled < d.hire_days - 20 AND d.enrolled < 365 AS upgraded
                  FROM (
                    -- Days ago the primary was enrolled: phishing-resistant factors skew recent (the rollout).
                    SELECT c.*, CASE WHEN c.ps >= 4 THEN least(c.hire_days, c.anchor + 600 * power(c.u2, 1.2))
                                     ELSE greatest(c.anchor, c.hire_days - 3 * c.u2) END AS enrolled
                      FROM (
                        SELECT b.*, ${strengthCase("b.ptype", PRIMARY_STRENGTH)} AS ps
                          FROM (
                            SELECT a.*, CASE a.grp ${Object.entries(PRIMARY_MIX)
                              .map(([g, mix]) => `WHEN '${g}' THEN ${weighted("a.u1", mix)}`)
                              .join(" ")} END AS ptype
                              FROM (
                                SELECT p.id, p.family, p.hire_days, greatest(0, -coalesce(p.term_off, 0)) AS anchor, ${group} AS grp,
                                       ${u("p.id", 80)} AS u1, ${u("p.id", 81)} AS u2, ${u("p.id", 82)} AS u3, ${u("p.id", 83)} AS u4,
                                       ${u("p.id", 84)} AS u5, ${u("p.id", 85)} AS u6, ${pick("p.id", 86, 100000)} AS pl
                                  FROM seed_person p WHERE p.id <> ALL(ARRAY[${storyIds.join(",")}]::int[])
                                 OFFSET 0
                              ) a
                             OFFSET 0
                          ) b
                         OFFSET 0
                      ) c
                     OFFSET 0
                  ) d
                 OFFSET 0
              ) e
             OFFSET 0
          ) q
      ) r`,
  );
  const n = await exec(
    ctx,
    `
    INSERT INTO authenticators (identity_id, type, usage, status, channel, user_verification, label, enrolled_at, last_used_at, expires_at)
    SELECT x.id, f.type::authenticator_type, f.usage::authenticator_usage, f.status::authenticator_status, ${channel("f.type")},
           NOT (f.type IN ('passkey_synced', 'passkey_device_bound', 'security_key') AND x.u6 < 0.04),
           ${label("f.type")}, ${daysAgo(ctx, "f.enrolled")}, ${daysAgo(ctx, "f.last_used")}, f.expires
      FROM seed_pf x
      CROSS JOIN LATERAL (VALUES
        -- 0: the primary factor
        (0, x.ptype, 'primary', 'active', x.enrolled, x.anchor + 2 * x.u3, NULL::timestamptz, true),
        -- 1: the recovery path (82% have one)
        (1, x.rtype, 'recovery', 'active', x.rec_enrolled, NULL::float8, NULL::timestamptz, x.u5 < 0.82),
        -- 2: a second, weaker primary kept as a fallback sign-in method
        (2, ${weighted("x.u3", [
          ["push_number_match", 40],
          ["totp", 25],
          ["sms_otp", 25],
          ["email_otp", 10],
        ])}, 'primary', 'active',
            x.hire_days - (x.hire_days - x.anchor) * 0.3 * x.u5, x.anchor + 60 * x.u4, NULL::timestamptz, x.u6 > 0.95),
        -- 3: the factor an upgrade to phishing-resistant replaced, revoked on the day of the upgrade
        (3, CASE WHEN x.u5 < 0.6 THEN 'push_number_match' ELSE 'sms_otp' END, 'primary', 'revoked', x.hire_days, x.enrolled,
            NULL::timestamptz, x.upgraded),
        -- 4: a weak recovery path replaced by a stronger one (the slowly shrinking fallback gap)
        (4, CASE WHEN x.u2 < 0.6 THEN 'sms_otp' ELSE 'email_otp' END, 'recovery', 'revoked', x.hire_days, x.rec_enrolled,
            NULL::timestamptz, x.replaced),
        -- 5: an expired hardware token from an older programme
        (5, 'hardware_otp', 'primary', 'expired', x.hire_days, x.anchor + 400, ${daysAgo(ctx, "x.anchor + 380")}, x.u6 < 0.015)
      ) AS f(slot, type, usage, status, enrolled, last_used, expires, present)
     WHERE f.present
     ORDER BY x.id, f.slot`,
  );
  const story = Object.entries(STORY_FACTORS).flatMap(([who, factors]) =>
    factors.map((f) => ({
      identityId: ctx.ids[who],
      type: f.type as never,
      usage: f.usage,
      status: f.status ?? "active",
      channel: f.channel ?? null,
      userVerification: true,
      label: f.label,
      enrolledAt: new Date(ctx.now.getTime() - f.enrolledDaysAgo * 86_400_000),
      lastUsedAt:
        f.lastUsedDaysAgo !== undefined || f.usage === "primary"
          ? new Date(ctx.now.getTime() - Math.round((f.lastUsedDaysAgo ?? 0.2) * 86_400) * 1000)
          : null,
    })),
  );
  await ctx.db.insert(authenticators).values(story);
  say(ctx, `authenticators: ${(n + story.length).toLocaleString("en-US")}`);
  await analyze(ctx, "authenticators");
}
