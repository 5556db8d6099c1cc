import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import type { Ctx } from "@/lib/context";

/**
 * The installation's active console administrators (human, status active), their admin role rows locked for the
 * rest of the caller's transaction: two changes at the same moment (a role removal, an offboarding) cannot each
 * leave the other as the last one. The one rule behind "the last active admin is never removed".
 */
export async function lockActiveAdmins(tx: Ctx): Promise<number[]> {
  const rows = await queryRows(
    tx.db,
    sql`SELECT r.identity_id FROM console_roles r JOIN identities i ON i.id = r.identity_id
         WHERE r.role = 'admin' AND i.status = 'active' AND i.kind = 'human' ORDER BY r.identity_id FOR UPDATE OF r`,
    z.object({ identity_id: col.int }),
  );
  return rows.map((r) => r.identity_id);
}
