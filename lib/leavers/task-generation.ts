import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { systems } from "@/db/schema";
import { workingKinds } from "@/lib/connectors/support";
import type { ConnectorSystem } from "@/lib/connectors/types";
import { TASK_PRIORITY } from "./rules";

/** Trusted numeric constants inlined as literals (bound parameters would arrive untyped, as text). */
const P = Object.fromEntries(Object.entries(TASK_PRIORITY).map(([k, v]) => [k, sql.raw(String(v))])) as Record<
  keyof typeof TASK_PRIORITY,
  ReturnType<typeof sql.raw>
>;

/** Systems that hold things no connector owns: recovery factors live in the SSO, NHI ownership in the directory. */
async function anchorSystems(db: Db): Promise<{ directory: number; sso: number }> {
  const rows = (await db.execute(sql`
    SELECT (SELECT id FROM systems WHERE category = 'directory' ORDER BY (criticality = 'critical') DESC, id LIMIT 1) AS directory,
           (SELECT id FROM systems WHERE category = 'sso' ORDER BY (criticality = 'critical') DESC, id LIMIT 1) AS sso,
           (SELECT min(id) FROM systems) AS any`)) as unknown as {
    rows: { directory: number | null; sso: number | null; any: number | null }[];
  };
  const r = rows.rows[0];
  const directory = r.directory ?? r.sso ?? r.any;
  if (!directory) throw new Error("No systems are connected: there is nothing to revoke on.");
  return { directory, sso: r.sso ?? directory };
}

/** (system, task kind) pairs a working connector will carry out, as a JSON parameter for the INSERT. */
async function workingSupport(db: Db): Promise<string> {
  const all = await db
    .select({
      id: systems.id,
      kind: systems.connectorKind,
      simulated: systems.connectorSimulated,
      config: systems.connectorConfig,
    })
    .from(systems);
  const pairs = all.flatMap((s) =>
    workingKinds(s as Pick<ConnectorSystem, "kind" | "simulated" | "config">).map((kind) => ({
      system_id: s.id,
      kind,
    })),
  );
  return JSON.stringify(pairs);
}

const bulkReach = (cred: string) =>
  sql.raw(
    `EXISTS (SELECT 1 FROM api_endpoints e WHERE e.system_id = ${cred}.issuer_system_id AND e.bulk AND e.scope = ANY(${cred}.scopes))`,
  );

/**
 * Snapshots everything the cases' people hold and inserts one task per item, for all cases at once
 * (one INSERT … SELECT): each active account, privileged live grant, system with live sessions, trusted
 * device, active credential held, phone/email recovery factor, and owned non-human identity. A kind the
 * system's connector cannot do (or a connector that cannot work) becomes a manual task for the system owner;
 * NHI ownership is a handover to the manager. Idempotent: existing tasks are left alone.
 */
export async function generateTasks(db: Db, caseIds: readonly number[], now: Date): Promise<number> {
  if (caseIds.length === 0) return 0;
  const [anchors, support] = await Promise.all([anchorSystems(db), workingSupport(db)]);
  const ids = `{${caseIds.join(",")}}`;
  const directory = sql.raw(String(Number(anchors.directory)));
  const sso = sql.raw(String(Number(anchors.sso)));
  const result = (await db.execute(sql`
    WITH nc AS (
      SELECT c.id AS case_id, c.identity_id, m.id AS manager_id
        FROM leaver_cases c JOIN identities i ON i.id = c.identity_id
        LEFT JOIN identities m ON m.id = i.manager_id AND m.status = 'active'
       WHERE c.id = ANY(${ids}::int[])
    ), ws AS (
      SELECT * FROM jsonb_to_recordset(${support}::jsonb) AS x(system_id int, kind text)
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
      SELECT nc.case_id, ${directory}, 'transfer_nhi_ownership', 'identity', n.id, n.display_name || ' (' || replace(n.kind::text, '_', ' ') || ')', false,
             EXISTS (SELECT 1 FROM credentials cr WHERE cr.holder_id = n.id AND cr.status = 'active' AND ${bulkReach("cr")}), ${P.nhiOwnership}, nc.manager_id
        FROM nc JOIN identities n ON n.owner_id = nc.identity_id AND n.kind <> 'human'
    )
    INSERT INTO revocation_tasks (case_id, system_id, kind, target_type, target_id, target_label, privileged, bulk_data, priority,
                                  mode, assignee_id, new_owner_id, state, updated_at)
    SELECT t.case_id, t.system_id, t.kind::revocation_task_kind, t.target_type, t.target_id, t.label, t.privileged, t.bulk, t.priority,
           m.mode,
           CASE m.mode WHEN 'manual' THEN s.owner_id WHEN 'handover' THEN t.new_owner END,
           t.new_owner, 'pending', ${now.toISOString()}::timestamptz
      FROM t
      JOIN systems s ON s.id = t.system_id
      LEFT JOIN ws ON ws.system_id = t.system_id AND ws.kind = t.kind
      CROSS JOIN LATERAL (SELECT CASE
             WHEN t.kind = 'transfer_nhi_ownership' THEN 'handover'
             WHEN ws.system_id IS NULL THEN 'manual'
             -- RFC 7009 needs the token: without a registered handle a real OAuth revocation is manual.
             WHEN t.kind = 'revoke_credential' AND s.connector_kind = 'oauth' AND NOT s.connector_simulated
                  AND NOT EXISTS (SELECT 1 FROM credential_handles h WHERE h.credential_id = t.target_id) THEN 'manual'
             ELSE 'connector' END AS mode) m
     ORDER BY t.case_id, t.priority, t.target_id
    ON CONFLICT (case_id, kind, target_type, target_id) DO NOTHING`)) as unknown as {
    rowCount?: number | null;
    affectedRows?: number;
  };
  return Number(result.rowCount ?? result.affectedRows ?? 0);
}
