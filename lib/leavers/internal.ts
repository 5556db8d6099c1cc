import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { intArray } from "@/db/sql";
import type { Ctx } from "@/lib/context";
import { eligibleIn } from "@/lib/people/eligible";
import { type RequestedTask, requestRemediation } from "@/lib/remediation/internal";
import { TASK_PRIORITY } from "./rules";

/** Trusted numeric constants inlined as literals (bound parameters would arrive untyped, as text). */
const P = Object.fromEntries(Object.entries(TASK_PRIORITY).map(([k, v]) => [k, sql.raw(String(v))])) as Record<
  keyof typeof TASK_PRIORITY,
  ReturnType<typeof sql.raw>
>;

/** Systems that hold things no connector owns: recovery factors live in the SSO, NHI ownership in the directory. */
async function anchorSystems(db: Db): Promise<{ directory: number; sso: number }> {
  const [r] = await queryRows(
    db,
    sql`
    SELECT (SELECT id FROM systems WHERE category = 'directory' ORDER BY (criticality = 'critical') DESC, id LIMIT 1) AS directory,
           (SELECT id FROM systems WHERE category = 'sso' ORDER BY (criticality = 'critical') DESC, id LIMIT 1) AS sso,
           (SELECT min(id) FROM systems) AS any`,
    z.object({ directory: col.intOrNull, sso: col.intOrNull, any: col.intOrNull }),
  );
  const directory = r.directory ?? r.sso ?? r.any;
  if (!directory) throw new Error("No systems are connected: there is nothing to revoke on.");
  return { directory, sso: r.sso ?? directory };
}

const bulkReach = (cred: string) =>
  sql.raw(
    `EXISTS (SELECT 1 FROM api_endpoints e WHERE e.system_id = ${cred}.issuer_system_id AND e.bulk AND api_endpoint_reached(e.scope_sets, ${cred}.scopes))`,
  );

/**
 * Snapshots everything the cases' people hold and inserts one task per item, for all cases at once
 * (one INSERT … SELECT): each active account, privileged live grant, system with live sessions, trusted
 * device, active credential held, phone/email recovery factor, and owned non-human identity. A kind the
 * system's connector cannot do (or a connector that cannot work) becomes a manual task for the system owner;
 * NHI ownership is a handover to the manager. The remediation engine decides each task's mode and inserts them
 * (lib/remediation/internal.ts). Idempotent: existing tasks are left alone.
 */
export async function generateTasks(tx: Ctx, caseIds: readonly number[]): Promise<number> {
  return (await generateCaseTasks(tx, caseIds)).length;
}

/** generateTasks, returning the tasks it created (with their case as originId). */
export async function generateCaseTasks(tx: Ctx, caseIds: readonly number[]): Promise<RequestedTask[]> {
  if (caseIds.length === 0) return [];
  const anchors = await anchorSystems(tx.db);
  const directory = sql.raw(String(Number(anchors.directory)));
  const sso = sql.raw(String(Number(anchors.sso)));
  const items = sql`
    WITH nc AS (
      SELECT c.id AS case_id, c.identity_id, m.id AS manager_id
        FROM leaver_cases c JOIN identities i ON i.id = c.identity_id
        LEFT JOIN identities m ON m.id = i.manager_id AND ${eligibleIn("m")}
       WHERE c.id = ANY(${intArray(caseIds)})
    ), t AS (
      SELECT nc.case_id, a.system_id, 'disable_account' AS kind, 'account' AS target_type, a.id::int8 AS target_id,
             s.name || ': ' || a.username AS label, p.privileged, false AS bulk,
             CASE WHEN p.privileged THEN ${P.privilegedAccount} WHEN s.criticality = 'critical' THEN ${P.criticalAccount} ELSE ${P.account} END AS priority,
             NULL::int AS new_owner
        FROM nc JOIN accounts a ON a.identity_id = nc.identity_id AND a.status = 'active'
        JOIN systems s ON s.id = a.system_id
        CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM grants g JOIN entitlements e ON e.id = g.entitlement_id AND e.privileged
                                            WHERE g.account_id = a.id AND g.revoked_at IS NULL) AS privileged) p
      UNION ALL
      SELECT nc.case_id, a.system_id, 'remove_grant', 'grant', g.id, e.name || ' on ' || s.name || ' (' || a.username || ')', true, false, ${P.privilegedGrant}, NULL
        FROM nc JOIN accounts a ON a.identity_id = nc.identity_id AND a.status <> 'deleted'
        JOIN systems s ON s.id = a.system_id
        JOIN grants g ON g.account_id = a.id AND g.revoked_at IS NULL
        JOIN entitlements e ON e.id = g.entitlement_id AND e.privileged
      UNION ALL
      SELECT nc.case_id, x.system_id, 'end_sessions', 'sessions', x.system_id::int8,
             count(*) || ' live session' || CASE WHEN count(*) > 1 THEN 's' ELSE '' END || ' on ' || min(s.name), false, false, ${P.sessions}, NULL
        FROM nc JOIN app_sessions x ON x.identity_id = nc.identity_id AND x.revoked_at IS NULL
        JOIN systems s ON s.id = x.system_id
       GROUP BY nc.case_id, x.system_id
      UNION ALL
      SELECT nc.case_id, coalesce(d.system_id, ${directory}), 'remove_device_trust', 'device', d.id,
             d.name || ' (' || d.platform || ')', false, false, ${P.device}, NULL
        FROM nc JOIN trusted_devices d ON d.identity_id = nc.identity_id AND d.revoked_at IS NULL
      UNION ALL
      SELECT nc.case_id, cr.issuer_system_id, 'revoke_credential', 'credential', cr.id, cr.name || ' (' || s.name || ')', false,
             ${bulkReach("cr")}, CASE WHEN ${bulkReach("cr")} THEN ${P.bulkCredential} ELSE ${P.credential} END, NULL
        FROM nc JOIN credentials cr ON cr.holder_id = nc.identity_id AND cr.status = 'active'
        JOIN systems s ON s.id = cr.issuer_system_id
      UNION ALL
      SELECT nc.case_id, ${sso}, 'remove_recovery_factor', 'authenticator', au.id,
             coalesce(au.label, replace(au.type::text, '_', ' ')) || ' (recovery via ' || coalesce(au.channel, au.type::text) || ')', false, false, ${P.recoveryFactor}, NULL
        FROM nc JOIN authenticators au ON au.identity_id = nc.identity_id AND au.usage = 'recovery' AND au.status = 'active'
                AND (au.channel IN ('sms', 'voice', 'email') OR au.type IN ('sms_otp', 'voice_otp', 'email_otp'))
      UNION ALL
      SELECT nc.case_id, ${directory}, 'transfer_ownership', 'identity', n.id, n.display_name || ' (' || replace(n.kind::text, '_', ' ') || ')', false,
             EXISTS (SELECT 1 FROM credentials cr WHERE cr.holder_id = n.id AND cr.status = 'active' AND ${bulkReach("cr")}), ${P.nhiOwnership}, nc.manager_id
        FROM nc JOIN identities n ON n.owner_id = nc.identity_id AND n.kind <> 'human'
    )
    SELECT t.case_id AS origin_id, nc.identity_id AS subject_id, t.system_id, t.kind AS action, t.target_type, t.target_id,
           t.label, t.privileged, t.bulk, t.priority, NULL::jsonb AS params, t.new_owner
      FROM t JOIN nc ON nc.case_id = t.case_id`;
  // No audit event of its own: each case's leaver.open event records its tasks.
  return requestRemediation(tx, { origin: "leaver_case", items: { sql: items } });
}
