import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { remediationAction, remediationMode, remediationOrigin, remediationState } from "@/db/schema/enums";
import type { RemediationParams } from "@/db/schema/remediation";
import { systemColumns, systemFromRow, systemRow, type WorkedSystem } from "@/lib/connectors/system";
import type { ConnectorAction } from "@/lib/connectors/types";

/** A task with everything a connector needs to act on it, read in one query. */
export type TaskContext = {
  id: number;
  origin: z.output<typeof taskRow>["origin"];
  originId: number;
  caseId: number | null;
  action: z.output<typeof taskRow>["action"];
  state: z.output<typeof taskRow>["state"];
  mode: z.output<typeof taskRow>["mode"];
  targetType: string;
  targetId: number;
  targetLabel: string;
  privileged: boolean;
  attempts: number;
  subjectId: number;
  params: RemediationParams | null;
  system: WorkedSystem;
  /** What the connector is asked to do; null when the target no longer exists in Lockstep's inventory. */
  change: ConnectorAction | null;
};

const taskRow = z
  .object({
    id: col.int,
    origin: z.enum(remediationOrigin.enumValues),
    origin_id: col.int,
    case_id: col.intOrNull,
    action: z.enum(remediationAction.enumValues),
    state: z.enum(remediationState.enumValues),
    mode: z.enum(remediationMode.enumValues),
    target_type: col.text,
    target_id: col.int,
    target_label: col.text,
    privileged: col.bool,
    attempts: col.int,
    subject_id: col.int,
    params: col.json(z.custom<RemediationParams>().nullable()),
    email: col.textOrNull,
    employee_number: col.textOrNull,
    display_name: col.text,
    username: col.textOrNull,
    external_id: col.textOrNull,
    entitlement: col.textOrNull,
    device_name: col.textOrNull,
    external_ref: col.textOrNull,
    credential_kind: col.textOrNull,
    scopes: col.textArray.nullable(),
    factor_type: col.textOrNull,
    factor_channel: col.textOrNull,
  })
  .extend(systemRow.shape);
type Row = z.output<typeof taskRow>;

export async function loadTaskContext(db: Db, taskId: number): Promise<TaskContext | null> {
  const [r] = await queryRows(
    db,
    sql`
    SELECT t.id, t.origin::text AS origin, t.origin_id, t.case_id, t.action::text AS action, t.state::text AS state,
           t.mode::text AS mode, t.target_type, t.target_id, t.target_label, t.privileged, t.attempts, t.subject_id, t.params,
           p.email, p.employee_number, p.display_name, ${systemColumns("s")},
           coalesce(a.username, ga.username, pa.username, sa.username) AS username,
           coalesce(a.external_id, ga.external_id, pa.external_id, sa.external_id) AS external_id,
           coalesce(e.name, ae.name) AS entitlement, d.name AS device_name, cr.external_ref,
           cr.kind::text AS credential_kind, cr.scopes, au.type::text AS factor_type, au.channel AS factor_channel
      FROM remediation_tasks t
      JOIN identities p ON p.id = t.subject_id
      JOIN systems s ON s.id = t.system_id
      LEFT JOIN accounts a ON t.target_type = 'account' AND a.id = t.target_id
      LEFT JOIN grants g ON t.target_type = 'grant' AND g.id = t.target_id
      LEFT JOIN accounts ga ON ga.id = g.account_id
      LEFT JOIN entitlements e ON e.id = g.entitlement_id
      LEFT JOIN entitlements ae ON t.target_type = 'entitlement' AND ae.id = t.target_id
      LEFT JOIN accounts pa ON t.target_type = 'entitlement' AND pa.id = (t.params->>'accountId')::int
      LEFT JOIN LATERAL (SELECT x.username, x.external_id FROM accounts x
                          WHERE t.target_type = 'sessions' AND x.identity_id = t.subject_id AND x.system_id = t.system_id
                          ORDER BY x.id LIMIT 1) sa ON true
      LEFT JOIN trusted_devices d ON t.target_type = 'device' AND d.id = t.target_id
      LEFT JOIN credentials cr ON t.target_type = 'credential' AND cr.id = t.target_id
      LEFT JOIN authenticators au ON t.target_type = 'authenticator' AND au.id = t.target_id
     WHERE t.id = ${taskId}`,
    taskRow,
  );
  if (!r) return null;
  return {
    id: r.id,
    origin: r.origin,
    originId: r.origin_id,
    caseId: r.case_id,
    action: r.action,
    state: r.state,
    mode: r.mode,
    targetType: r.target_type,
    targetId: r.target_id,
    targetLabel: r.target_label,
    privileged: r.privileged,
    attempts: r.attempts,
    subjectId: r.subject_id,
    params: r.params,
    system: systemFromRow(r),
    change: changeOf(r),
  };
}

/** The connector's instruction for a task, or null when the inventory row it names is gone. */
function changeOf(r: Row): ConnectorAction | null {
  const system = systemFromRow(r);
  const base = {
    id: String(r.id),
    ref: { type: r.target_type, id: r.target_id },
    system,
    person: { email: r.email, employeeNumber: r.employee_number, displayName: r.display_name },
  };
  const account = r.username ? { username: r.username, externalId: r.external_id } : null;
  const credential = r.credential_kind
    ? { id: r.target_id, externalRef: r.external_ref, credentialKind: r.credential_kind }
    : null;
  switch (r.action) {
    case "disable_account":
    case "delete_account":
      return account ? { ...base, kind: r.action, account } : null;
    case "add_grant":
    case "remove_grant":
      return account && r.entitlement
        ? { ...base, kind: r.action, account, entitlement: { name: r.entitlement } }
        : null;
    case "end_sessions":
      return { ...base, kind: "end_sessions", account };
    case "remove_device_trust":
      return {
        ...base,
        kind: "remove_device_trust",
        device: { id: r.target_id, name: r.device_name ?? r.target_label },
      };
    case "revoke_credential":
      return credential ? { ...base, kind: "revoke_credential", credential } : null;
    case "reduce_scopes": {
      if (!credential) return null;
      const keep = r.params?.keepScopes ?? [];
      const drop = r.params?.dropScopes ?? (r.scopes ?? []).filter((s) => !keep.includes(s));
      return { ...base, kind: "reduce_scopes", credential, keepScopes: keep, dropScopes: drop };
    }
    case "remove_recovery_factor":
      return r.factor_type
        ? {
            ...base,
            kind: "remove_recovery_factor",
            factor: { id: r.target_id, type: r.factor_type, channel: r.factor_channel },
          }
        : null;
    case "transfer_ownership":
      return null;
  }
}
