import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { intArray } from "@/db/sql";

/**
 * Recomputes the posture rollup for some people (or everyone) through the database's own
 * refresh_identity_posture (migration 0007, generated from ./strength.ts by scripts/generate-posture-sql.ts).
 *
 * Writers do not need this: triggers on authenticators, grants, accounts, entitlements and identities call
 * the same function in the writer's transaction. It stays for bulk loads that deferred the triggers, for
 * jobs that refresh rows whose factors expired, and for computing a posture "as of" a given instant.
 */
export async function refreshPosture(
  db: Db,
  scope: { identityIds: number[] } | "all",
  now = new Date(),
): Promise<void> {
  if (scope !== "all" && scope.identityIds.length === 0) return;
  const ids = scope === "all" ? sql`NULL::int[]` : intArray(scope.identityIds);
  await db.execute(sql`SELECT refresh_identity_posture(${ids}, ${now.toISOString()}::timestamptz)`);
}
