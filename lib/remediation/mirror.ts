import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, authenticators, credentials, grants, trustedDevices } from "@/db/schema";
import type { RemediationParams } from "@/db/schema/remediation";
import { textArray } from "@/db/sql";
import type { RemediationAction } from "./model";

export type MirroredTask = {
  action: RemediationAction;
  targetId: number;
  systemId: number;
  subjectId: number;
  params: RemediationParams | null;
  deprovisionMode?: string;
};

/**
 * Lockstep's own inventory follows each executed change (accounts, grants, sessions, devices, credentials,
 * factors), so the person page, the API-scope views and the posture rollup (kept by database triggers on these
 * tables) agree with the target. Runs inside the transaction that records the execution; `undo` is the drift
 * watch's reverse, for a change found undone at the target.
 */
export async function mirrorChange(db: Db, t: MirroredTask, at: Date, opts: { gone?: boolean; undo?: boolean } = {}) {
  const now = at.toISOString();
  const id = t.targetId;
  if (opts.undo) return undoChange(db, t);
  switch (t.action) {
    case "disable_account":
    case "delete_account": {
      const status =
        opts.gone || t.action === "delete_account" || t.deprovisionMode === "delete" ? "deleted" : "disabled";
      await db.update(accounts).set({ status }).where(eq(accounts.id, id));
      return;
    }
    case "add_grant": {
      const p = t.params ?? {};
      await db.execute(sql`
        INSERT INTO grants (account_id, entitlement_id, source, granted_at, expires_at)
        VALUES (${p.accountId ?? null}::int, ${id}::int, ${p.grantSource ?? "request"}::grant_source, ${now}::timestamptz,
                ${p.expiresAt ?? null}::timestamptz)
        ON CONFLICT (account_id, entitlement_id) WHERE revoked_at IS NULL DO NOTHING`);
      return;
    }
    case "remove_grant":
      await db
        .update(grants)
        .set({ revokedAt: sql`coalesce(${grants.revokedAt}, ${now}::timestamptz)` })
        .where(eq(grants.id, id));
      return;
    case "end_sessions":
      // The task covers every live session of the subject on that system.
      await db.execute(sql`UPDATE app_sessions SET revoked_at = ${now}::timestamptz
                            WHERE identity_id = ${t.subjectId} AND system_id = ${t.systemId} AND revoked_at IS NULL`);
      return;
    case "remove_device_trust":
      await db
        .update(trustedDevices)
        .set({ revokedAt: sql`coalesce(${trustedDevices.revokedAt}, ${now}::timestamptz)` })
        .where(eq(trustedDevices.id, id));
      return;
    case "revoke_credential":
      await db
        .update(credentials)
        .set({ status: "revoked", revokedAt: sql`coalesce(${credentials.revokedAt}, ${now}::timestamptz)` })
        .where(eq(credentials.id, id));
      return;
    case "reduce_scopes": {
      const keep = t.params?.keepScopes ?? [];
      await db
        .update(credentials)
        .set({ scopes: sql`ARRAY(SELECT s FROM unnest(${credentials.scopes}) s WHERE s = ANY(${textArray(keep)}))` })
        .where(eq(credentials.id, id));
      return;
    }
    case "remove_recovery_factor":
      await db.update(authenticators).set({ status: "revoked" }).where(eq(authenticators.id, id));
      return;
    case "transfer_ownership":
      return;
  }
}

async function undoChange(db: Db, t: MirroredTask): Promise<void> {
  const id = t.targetId;
  switch (t.action) {
    case "disable_account":
    case "delete_account":
      await db.update(accounts).set({ status: "active" }).where(eq(accounts.id, id));
      return;
    case "remove_grant":
      await db.update(grants).set({ revokedAt: null }).where(eq(grants.id, id));
      return;
    case "revoke_credential":
      await db.update(credentials).set({ status: "active", revokedAt: null }).where(eq(credentials.id, id));
      return;
    case "reduce_scopes": {
      const all = [...(t.params?.keepScopes ?? []), ...(t.params?.dropScopes ?? [])];
      await db.update(credentials).set({ scopes: all }).where(eq(credentials.id, id));
      return;
    }
    default:
      // Sessions, device trust and factors come back as new rows at the target, not as this one.
      return;
  }
}
