import { exec, rows, type SeedCtx, say } from "./context";
import { effectiveStrengthSql } from "./posture";
import { pick, u } from "./random";

/**
 * Break-glass requests: the live story (a recovery waiting for its second approval with one approver
 * excluded as the subject's manager, an emergency request nobody has looked at yet, an active time-boxed
 * elevation) and history: denials (one refusing a downgrade to SMS), lapsed, cancelled, expired and revoked
 * requests. Every activation was approved by two distinct approvers who are neither requester, subject nor
 * the subject's manager. Activated emergency access is a `break_glass` grant that expires by itself.
 */
type Story = {
  kind: "account_recovery" | "emergency_access";
  requester: string;
  subject: string;
  reason: string;
  /** `slug:entitlement name` for emergency access. */
  entitlement?: string;
  factor?: string;
  minutes: number;
  status: "pending" | "denied" | "active" | "expired" | "revoked" | "cancelled";
  createdMinutesAgo: number;
  requestTtlMinutes: number;
  activatedMinutesAgo?: number;
  endedMinutesAgo?: number;
  approvals: { who: string; decision: "approve" | "deny"; minutesAgo: number; comment: string }[];
};

const D = 24 * 60;
const STORY: readonly Story[] = [
  {
    kind: "account_recovery",
    requester: "avery",
    subject: "felix",
    factor: "passkey_device_bound",
    minutes: 60,
    status: "pending",
    reason:
      "Security key reported lost yesterday; one-time enrolment pass for a new device-bound passkey (no weaker factor offered).",
    createdMinutesAgo: 40,
    requestTtlMinutes: 240,
    approvals: [
      {
        who: "sam",
        decision: "approve",
        minutesAgo: 25,
        comment: "Identity verified on a video call against the badge photo.",
      },
    ],
  },
  {
    kind: "emergency_access",
    requester: "daniel",
    subject: "daniel",
    entitlement: "aws-prod:AdministratorAccess",
    minutes: 60,
    status: "pending",
    reason: "INC-4821: orders-db failover is stuck; need to promote the replica in production.",
    createdMinutesAgo: 10,
    requestTtlMinutes: 60,
    approvals: [],
  },
  {
    kind: "emergency_access",
    requester: "carlos",
    subject: "carlos",
    entitlement: "cyberark:Vault Administrator",
    minutes: 60,
    status: "active",
    reason: "INC-4817: rotate the CI deploy credentials exposed in a build log.",
    createdMinutesAgo: 45,
    requestTtlMinutes: 60,
    activatedMinutesAgo: 25,
    approvals: [
      { who: "noor", decision: "approve", minutesAgo: 38, comment: "Incident confirmed in PagerDuty." },
      { who: "grace", decision: "approve", minutesAgo: 27, comment: "Approved for 60 minutes; session recording on." },
    ],
  },
  {
    kind: "account_recovery",
    requester: "jordan",
    subject: "hiro",
    factor: "sms_otp",
    minutes: 30,
    status: "denied",
    reason: "Lost phone and security key while travelling; asks to switch sign-in to SMS until back.",
    createdMinutesAgo: 6 * D,
    requestTtlMinutes: 240,
    approvals: [
      {
        who: "grace",
        decision: "deny",
        minutesAgo: 6 * D - 20,
        comment:
          "Recovery may not issue a weaker factor than the current one; booked an in-person passkey enrolment instead.",
      },
    ],
  },
  {
    kind: "emergency_access",
    requester: "tom",
    subject: "tom",
    entitlement: "snowflake:ACCOUNTADMIN",
    minutes: 120,
    status: "denied",
    reason: "Need to look at a customer's records for a support escalation.",
    createdMinutesAgo: 12 * D,
    requestTtlMinutes: 120,
    approvals: [
      {
        who: "noor",
        decision: "deny",
        minutesAgo: 12 * D - 15,
        comment: "Not an emergency; request PII_READER with a ticket instead.",
      },
    ],
  },
  {
    kind: "account_recovery",
    requester: "avery",
    subject: "emma",
    factor: "security_key",
    minutes: 60,
    status: "expired",
    reason: "Locked out after a phone replacement; new security key issued at the IT desk.",
    createdMinutesAgo: 3 * D,
    requestTtlMinutes: 240,
    approvals: [{ who: "sam", decision: "approve", minutesAgo: 3 * D - 30, comment: "Verified in person." }],
  },
  {
    kind: "emergency_access",
    requester: "aisha",
    subject: "aisha",
    entitlement: "github:Organization Owner",
    minutes: 120,
    status: "expired",
    reason: "INC-4790: revoke a compromised deploy key across all repositories.",
    createdMinutesAgo: 5 * D,
    requestTtlMinutes: 60,
    activatedMinutesAgo: 5 * D - 20,
    endedMinutesAgo: 5 * D - 140,
    approvals: [
      { who: "sam", decision: "approve", minutesAgo: 5 * D - 12, comment: "Incident confirmed." },
      { who: "noor", decision: "approve", minutesAgo: 5 * D - 18, comment: "OK, time-boxed." },
    ],
  },
  {
    kind: "emergency_access",
    requester: "lena",
    subject: "lena",
    entitlement: "okta:Super Administrator",
    minutes: 60,
    status: "revoked",
    reason: "SSO outage: reset the Okta sign-on policy that locked out the support team.",
    createdMinutesAgo: 20 * D,
    requestTtlMinutes: 60,
    activatedMinutesAgo: 20 * D - 15,
    endedMinutesAgo: 20 * D - 40,
    approvals: [
      { who: "grace", decision: "approve", minutesAgo: 20 * D - 8, comment: "Outage confirmed." },
      { who: "sam", decision: "approve", minutesAgo: 20 * D - 12, comment: "Approved." },
    ],
  },
  {
    kind: "account_recovery",
    requester: "jordan",
    subject: "diego",
    factor: "passkey_synced",
    minutes: 30,
    status: "cancelled",
    reason: "Passkey not syncing to the new phone.",
    createdMinutesAgo: 30 * D,
    requestTtlMinutes: 240,
    approvals: [],
  },
];

export async function seedBreakGlass(ctx: SeedCtx): Promise<void> {
  const ago = (m: number | undefined) =>
    m === undefined ? "NULL::timestamptz" : `(${ctx.NOW} - interval '${Math.round(m * 60)} seconds')`;
  const ent = (ref: string) => {
    const [slug, name] = ref.split(":");
    return `(SELECT e.id FROM entitlements e JOIN systems s ON s.id = e.system_id WHERE s.slug = '${slug}' AND e.name = '${name.replace(/'/g, "''")}')`;
  };
  for (const s of STORY) {
    const [req] = await rows<{ id: number }>(
      ctx,
      `
      INSERT INTO break_glass_requests (kind, requester_id, subject_id, reason, entitlement_id, recovery_factor, subject_strength_at_request,
                                        duration_minutes, status, created_at, request_expires_at, activated_at, expires_at, ended_at)
      VALUES ('${s.kind}', ${ctx.ids[s.requester]}, ${ctx.ids[s.subject]}, '${s.reason.replace(/'/g, "''")}',
              ${s.entitlement ? ent(s.entitlement) : "NULL"}, ${s.factor ? `'${s.factor}'` : "NULL"},
              ${s.kind === "account_recovery" ? effectiveStrengthSql(ctx, String(ctx.ids[s.subject])) : "NULL"},
              ${s.minutes}, '${s.status}', ${ago(s.createdMinutesAgo)}, ${ago(s.createdMinutesAgo - s.requestTtlMinutes)},
              ${ago(s.activatedMinutesAgo)},
              ${s.activatedMinutesAgo === undefined ? "NULL" : ago(s.activatedMinutesAgo - s.minutes)}, ${ago(s.endedMinutesAgo)})
      RETURNING id`,
    );
    for (const a of s.approvals) {
      await exec(
        ctx,
        `INSERT INTO break_glass_approvals (request_id, approver_id, decision, comment, decided_at)
                       VALUES (${req.id}, ${ctx.ids[a.who]}, '${a.decision}', '${a.comment.replace(/'/g, "''")}', ${ago(a.minutesAgo)})`,
      );
    }
    if (s.entitlement && s.activatedMinutesAgo !== undefined) await grantEmergencyAccess(ctx, req.id);
  }
  const generated = await seedHistory(ctx);
  say(ctx, `break-glass requests: ${STORY.length} story + ${generated} history`);
}

/** The elevation itself: a break_glass grant on the subject's account (created if needed) that expires on its own. */
async function grantEmergencyAccess(ctx: SeedCtx, requestId: number): Promise<void> {
  await exec(
    ctx,
    `
    INSERT INTO accounts (system_id, identity_id, username, external_id, status, last_login_at, created_at)
    SELECT e.system_id, r.subject_id, i.email, 'bg:' || r.id, 'active', r.activated_at, r.activated_at - interval '1 minute'
      FROM break_glass_requests r JOIN entitlements e ON e.id = r.entitlement_id JOIN identities i ON i.id = r.subject_id
     WHERE r.id = ${requestId} AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.system_id = e.system_id AND a.identity_id = r.subject_id)`,
  );
  await exec(
    ctx,
    `
    INSERT INTO grants (account_id, entitlement_id, source, granted_at, expires_at, last_used_at, revoked_at)
    SELECT a.id, r.entitlement_id, 'break_glass', r.activated_at, r.expires_at, r.activated_at + interval '3 minutes', r.ended_at
      FROM break_glass_requests r JOIN entitlements e ON e.id = r.entitlement_id
      JOIN LATERAL (SELECT a.id FROM accounts a WHERE a.system_id = e.system_id AND a.identity_id = r.subject_id ORDER BY a.id LIMIT 1) a ON true
     WHERE r.id = ${requestId}
       AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.account_id = a.id AND g.entitlement_id = r.entitlement_id AND g.revoked_at IS NULL)`,
  );
}

/** Older requests, generated set-based (their grants are long gone, so only the requests and decisions remain). */
async function seedHistory(ctx: SeedCtx): Promise<number> {
  const n = ctx.p.breakGlassGenerated;
  if (n === 0) return 0;
  const approvers = [ctx.ids.sam, ctx.ids.noor, ctx.ids.grace];
  const analysts = [ctx.ids.avery, ctx.ids.jordan];
  await exec(
    ctx,
    `CREATE TEMP TABLE seed_bg_subject ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY p.id)::int - 1 AS idx, p.id FROM seed_person p JOIN identities i ON i.id = p.id
     WHERE NOT p.story AND i.status = 'active' AND coalesce(i.manager_id, 0) <> ALL(ARRAY[${approvers.join(",")}])
       AND p.family IN ('engineering', 'security', 'it', 'data', 'finance', 'sales', 'support')`,
  );
  await exec(
    ctx,
    `CREATE TEMP TABLE seed_bg_ent ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY e.id)::int - 1 AS idx, e.id FROM entitlements e JOIN systems s ON s.id = e.system_id
     WHERE e.privileged AND s.criticality = 'critical'`,
  );
  const [{ subjects, ents }] = await rows<{ subjects: number; ents: number }>(
    ctx,
    "SELECT (SELECT count(*) FROM seed_bg_subject)::int AS subjects, (SELECT count(*) FROM seed_bg_ent)::int AS ents",
  );
  await exec(
    ctx,
    `CREATE TEMP TABLE seed_bg ON COMMIT DROP AS
    SELECT g.k, s.id AS subject_id, g.kind, g.status, g.minutes, g.created_ago, e.id AS entitlement_id,
           CASE WHEN g.kind = 'account_recovery' THEN (ARRAY[${analysts.join(",")}])[1 + g.k % 2] ELSE s.id END AS requester_id,
           ${pick("g.k", 137, 3)} AS first_approver
      FROM (
        SELECT k, CASE WHEN ${u("k", 131)} < 0.5 THEN 'account_recovery' ELSE 'emergency_access' END AS kind,
               CASE WHEN ${u("k", 132)} < 0.45 THEN 'expired_used' WHEN ${u("k", 132)} < 0.60 THEN 'denied'
                    WHEN ${u("k", 132)} < 0.70 THEN 'cancelled' WHEN ${u("k", 132)} < 0.85 THEN 'expired' ELSE 'revoked' END AS status,
               (ARRAY[30, 60, 60, 120, 240])[1 + ${pick("k", 133, 5)}] AS minutes,
               round((36 * 60 + 85 * 24 * 60 * ${u("k", 134)})::numeric)::int AS created_ago
          FROM generate_series(1, ${n}) k
      ) g
      JOIN seed_bg_subject s ON s.idx = ${pick("g.k", 135, subjects)}
      JOIN seed_bg_ent e ON e.idx = ${pick("g.k", 136, ents)}`,
  );
  const m = (col: string) => `(${ctx.NOW} - (${col}) * interval '1 minute')`;
  const [{ base }] = await rows<{ base: number }>(
    ctx,
    "SELECT coalesce(max(id), 0)::int AS base FROM break_glass_requests",
  );
  await exec(
    ctx,
    `
    INSERT INTO break_glass_requests (id, kind, requester_id, subject_id, reason, entitlement_id, recovery_factor, subject_strength_at_request,
                                      duration_minutes, status, created_at, request_expires_at, activated_at, expires_at, ended_at)
    SELECT ${base} + b.k, b.kind::break_glass_kind, b.requester_id, b.subject_id,
           CASE WHEN b.kind = 'account_recovery' THEN 'Locked out: lost or replaced device; recovery at the current strength.'
                ELSE 'INC-' || (3000 + b.k) || ': emergency change in production.' END,
           CASE WHEN b.kind = 'emergency_access' THEN b.entitlement_id END,
           CASE WHEN b.kind = 'account_recovery' THEN (CASE WHEN b.k % 3 = 0 THEN 'passkey_device_bound' ELSE 'security_key' END)::authenticator_type END,
           CASE WHEN b.kind = 'account_recovery' THEN ${effectiveStrengthSql(ctx, "b.subject_id")} END,
           b.minutes,
           (CASE b.status WHEN 'expired_used' THEN 'expired' ELSE b.status END)::break_glass_status,
           ${m("b.created_ago")}, ${m("b.created_ago - 240")},
           CASE WHEN b.status IN ('expired_used', 'revoked') THEN ${m("b.created_ago - 20")} END,
           CASE WHEN b.status IN ('expired_used', 'revoked') THEN ${m("b.created_ago - 20 - b.minutes")} END,
           CASE WHEN b.status = 'expired_used' THEN ${m("b.created_ago - 20 - b.minutes")}
                WHEN b.status = 'revoked' THEN ${m("b.created_ago - 20 - b.minutes / 2")} END
      FROM seed_bg b ORDER BY b.k`,
  );
  // Two approvals for every activation, one deny for denials, sometimes one lone approval on a lapsed request.
  const approver = (offset: string) => `(ARRAY[${approvers.join(",")}])[1 + (b.first_approver + ${offset}) % 3]`;
  await exec(
    ctx,
    `
    INSERT INTO break_glass_approvals (request_id, approver_id, decision, comment, decided_at)
    SELECT r.id, x.approver, x.decision::approval_decision, x.comment, x.at
      FROM seed_bg b
      JOIN break_glass_requests r ON r.id = ${base} + b.k
      CROSS JOIN LATERAL (VALUES
        (1, ${approver("0")}, CASE WHEN b.status = 'denied' THEN 'deny' ELSE 'approve' END,
            CASE WHEN b.status = 'denied' THEN 'No incident or ticket; use the normal request flow.' ELSE 'Verified with the requester.' END,
            ${m("b.created_ago - 8")}, b.status IN ('expired_used', 'revoked', 'denied') OR (b.status = 'expired' AND b.k % 2 = 0)),
        (2, ${approver("1")}, 'approve', 'Approved, time-boxed.', ${m("b.created_ago - 15")}, b.status IN ('expired_used', 'revoked'))
      ) AS x(n, approver, decision, comment, at, present)
     WHERE x.present AND x.approver NOT IN (b.requester_id, b.subject_id)
     ORDER BY r.id, x.n`,
  );
  return n;
}
