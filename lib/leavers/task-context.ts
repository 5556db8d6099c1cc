import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { ConnectorConfig } from "@/db/schema/systems";
import type { ConnectorAction, ConnectorSystem } from "@/lib/connectors/types";
import type { TaskKind } from "./rules";

/** A task with everything a connector needs to act on it, read in one query. */
export type TaskContext = {
  id: number;
  caseId: number;
  kind: TaskKind;
  state: "pending" | "running" | "done" | "verified" | "failed" | "waived";
  mode: "connector" | "manual" | "handover";
  targetType: string;
  targetId: number;
  targetLabel: string;
  privileged: boolean;
  attempts: number;
  notBefore: Date | null;
  leaseUntil: Date | null;
  identityId: number;
  caseStatus: string;
  system: ConnectorSystem & {
    criticality: "low" | "medium" | "high" | "critical";
    maxConcurrency: number;
    ownerId: number | null;
  };
  action: ConnectorAction | null;
};

type Row = Record<string, unknown>;

export async function loadTaskContext(db: Db, taskId: number): Promise<TaskContext | null> {
  const res = (await db.execute(sql`
    SELECT t.id, t.case_id, t.kind::text AS kind, t.state::text AS state, t.mode, t.target_type, t.target_id, t.target_label, t.privileged,
           t.attempts, t.not_before, t.lease_until, c.identity_id, c.status::text AS case_status,
           s.id AS system_id, s.slug, s.name AS system_name, s.connector_kind::text AS connector_kind, s.connector_config,
           s.connector_simulated, s.deprovision_mode::text AS deprovision_mode, s.criticality::text AS criticality,
           s.max_concurrency, s.owner_id,
           p.email, p.employee_number, p.display_name,
           coalesce(ga.username, a.username, sa.username) AS username, coalesce(ga.external_id, a.external_id, sa.external_id) AS external_id,
           e.name AS entitlement, d.name AS device_name, cr.external_ref, cr.kind::text AS credential_kind,
           au.type::text AS factor_type, au.channel AS factor_channel
      FROM revocation_tasks t
      JOIN leaver_cases c ON c.id = t.case_id
      JOIN identities p ON p.id = c.identity_id
      JOIN systems s ON s.id = t.system_id
      LEFT JOIN accounts a ON t.target_type = 'account' AND a.id = t.target_id
      LEFT JOIN grants g ON t.target_type = 'grant' AND g.id = t.target_id
      LEFT JOIN accounts ga ON ga.id = g.account_id
      LEFT JOIN entitlements e ON e.id = g.entitlement_id
      LEFT JOIN LATERAL (SELECT x.username, x.external_id FROM accounts x
                          WHERE t.target_type = 'sessions' AND x.identity_id = c.identity_id AND x.system_id = t.system_id
                          ORDER BY x.id LIMIT 1) sa ON true
      LEFT JOIN trusted_devices d ON t.target_type = 'device' AND d.id = t.target_id
      LEFT JOIN credentials cr ON t.target_type = 'credential' AND cr.id = t.target_id
      LEFT JOIN authenticators au ON t.target_type = 'authenticator' AND au.id = t.target_id
     WHERE t.id = ${taskId}`)) as unknown as { rows: Row[] };
  const r = res.rows[0];
  if (!r) return null;
  const system: TaskContext["system"] = {
    id: Number(r.system_id),
    slug: String(r.slug),
    name: String(r.system_name),
    kind: r.connector_kind as ConnectorSystem["kind"],
    config: (typeof r.connector_config === "string"
      ? JSON.parse(r.connector_config)
      : r.connector_config) as ConnectorConfig,
    simulated: Boolean(r.connector_simulated),
    deprovisionMode: r.deprovision_mode as ConnectorSystem["deprovisionMode"],
    criticality: r.criticality as TaskContext["system"]["criticality"],
    maxConcurrency: Number(r.max_concurrency),
    ownerId: r.owner_id === null ? null : Number(r.owner_id),
  };
  const ctx: TaskContext = {
    id: Number(r.id),
    caseId: Number(r.case_id),
    kind: r.kind as TaskKind,
    state: r.state as TaskContext["state"],
    mode: r.mode as TaskContext["mode"],
    targetType: String(r.target_type),
    targetId: Number(r.target_id),
    targetLabel: String(r.target_label),
    privileged: Boolean(r.privileged),
    attempts: Number(r.attempts),
    notBefore: r.not_before ? new Date(r.not_before as string) : null,
    leaseUntil: r.lease_until ? new Date(r.lease_until as string) : null,
    identityId: Number(r.identity_id),
    caseStatus: String(r.case_status),
    system,
    action: null,
  };
  ctx.action = buildAction(ctx, r);
  return ctx;
}

function buildAction(t: TaskContext, r: Row): ConnectorAction | null {
  const base = {
    id: String(t.id),
    ref: { type: t.targetType, id: t.targetId },
    system: t.system,
    person: {
      email: (r.email as string) ?? null,
      employeeNumber: (r.employee_number as string) ?? null,
      displayName: String(r.display_name),
    },
  };
  const account = r.username ? { username: String(r.username), externalId: (r.external_id as string) ?? null } : null;
  switch (t.kind) {
    case "disable_account":
      return account ? { ...base, kind: "disable_account", account } : null;
    case "remove_grant":
      return account && r.entitlement
        ? { ...base, kind: "remove_grant", account, entitlement: { name: String(r.entitlement) } }
        : null;
    case "end_sessions":
      return { ...base, kind: "end_sessions", account };
    case "remove_device_trust":
      return {
        ...base,
        kind: "remove_device_trust",
        device: { id: t.targetId, name: String(r.device_name ?? t.targetLabel) },
      };
    case "revoke_credential":
      return {
        ...base,
        kind: "revoke_credential",
        credential: {
          id: t.targetId,
          externalRef: (r.external_ref as string) ?? null,
          credentialKind: String(r.credential_kind),
        },
      };
    case "remove_recovery_factor":
      return {
        ...base,
        kind: "remove_recovery_factor",
        factor: { id: t.targetId, type: String(r.factor_type), channel: (r.factor_channel as string) ?? null },
      };
    case "transfer_nhi_ownership":
      return null;
  }
}
