import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/**
 * Lockstep's own inventory follows each executed revocation (accounts, grants, sessions, devices,
 * credentials, factors), so the person page, the API-scope views and the posture rollup (kept by database
 * triggers on these tables) agree with the target. Runs inside the transaction that records the execution; `undo` is the drift watch's reverse.
 */
export async function mirrorRevocation(
  db: Db,
  t: { kind: string; targetId: number; systemId: number; identityId: number; deprovisionMode?: string },
  at: Date,
  opts: { gone?: boolean; undo?: boolean } = {},
): Promise<void> {
  const now = at.toISOString();
  const id = t.targetId;
  if (opts.undo) {
    if (t.kind === "disable_account") await db.execute(sql`UPDATE accounts SET status = 'active' WHERE id = ${id}`);
    if (t.kind === "revoke_credential")
      await db.execute(sql`UPDATE credentials SET status = 'active', revoked_at = NULL WHERE id = ${id}`);
    if (t.kind === "remove_grant") await db.execute(sql`UPDATE grants SET revoked_at = NULL WHERE id = ${id}`);
    return;
  }
  switch (t.kind) {
    case "disable_account": {
      const status = opts.gone || t.deprovisionMode === "delete" ? "deleted" : "disabled";
      await db.execute(sql`UPDATE accounts SET status = ${status}::account_status WHERE id = ${id}`);
      break;
    }
    case "remove_grant":
      await db.execute(sql`UPDATE grants SET revoked_at = coalesce(revoked_at, ${now}::timestamptz) WHERE id = ${id}`);
      break;
    case "end_sessions":
      // The task covers every live session of the person on that system.
      await db.execute(sql`UPDATE app_sessions SET revoked_at = ${now}::timestamptz
                            WHERE identity_id = ${t.identityId} AND system_id = ${t.systemId} AND revoked_at IS NULL`);
      break;
    case "remove_device_trust":
      await db.execute(
        sql`UPDATE trusted_devices SET revoked_at = coalesce(revoked_at, ${now}::timestamptz) WHERE id = ${id}`,
      );
      break;
    case "revoke_credential":
      await db.execute(
        sql`UPDATE credentials SET status = 'revoked', revoked_at = coalesce(revoked_at, ${now}::timestamptz) WHERE id = ${id}`,
      );
      break;
    case "remove_recovery_factor":
      await db.execute(sql`UPDATE authenticators SET status = 'revoked' WHERE id = ${id}`);
      break;
  }
}
