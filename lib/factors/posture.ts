import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { PHISHING_RESISTANT, PRIMARY_STRENGTH, RECOVERY_STRENGTH, UV_SENSITIVE, type AuthenticatorType } from "./strength";

/** `CASE a.type WHEN … THEN n END`, generated from the TypeScript tables (one source of truth). */
function strengthCase(alias: string, table: Record<AuthenticatorType, number>): SQL {
  const whens = Object.entries(table).map(([type, n]) => `WHEN '${type}' THEN ${n}`).join(" ");
  const uvSensitive = `${alias}.type IN (${uvSensitiveList}) AND NOT ${alias}.user_verification`;
  return sql.raw(`(CASE ${alias}.type ${whens} END - CASE WHEN ${uvSensitive} THEN 1 ELSE 0 END)`);
}

const phishingResistantList = [...PHISHING_RESISTANT].map((t) => `'${t}'`).join(",");
const uvSensitiveList = [...UV_SENSITIVE].map((t) => `'${t}'`).join(",");

/**
 * Recomputes the posture rollup for some identities (or all humans) in one set-based statement.
 * Call it inside the transaction that changed factors, grants or status, so the rollup never lags.
 */
export async function refreshPosture(db: Db, scope: { identityIds: number[] } | "all", now = new Date()): Promise<void> {
  if (scope !== "all" && scope.identityIds.length === 0) return;
  const filter = scope === "all" ? sql`` : sql`AND i.id = ANY(${`{${scope.identityIds.join(",")}}`}::int[])`;
  const nowIso = now.toISOString();
  await db.execute(sql`
    INSERT INTO identity_posture AS p (identity_id, department_id, active, primary_strength, recovery_strength,
                                        effective_strength, phishing_resistant, has_privileged, updated_at)
    SELECT i.id, i.department_id, i.status = 'active',
           coalesce(pr.best, 0),
           rc.weakest,
           least(coalesce(pr.best, 0), coalesce(rc.weakest, coalesce(pr.best, 0))),
           coalesce(pr.phishing_resistant, false),
           EXISTS (SELECT 1 FROM accounts ac
                     JOIN grants g ON g.account_id = ac.id AND g.revoked_at IS NULL
                     JOIN entitlements e ON e.id = g.entitlement_id AND e.privileged
                    WHERE ac.identity_id = i.id AND ac.status = 'active'),
           ${nowIso}::timestamptz
      FROM identities i
      LEFT JOIN LATERAL (
        SELECT max(${strengthCase("a", PRIMARY_STRENGTH)}) AS best,
               bool_or(a.type IN (${sql.raw(phishingResistantList)})
                       AND (a.type NOT IN (${sql.raw(uvSensitiveList)}) OR a.user_verification)) AS phishing_resistant
          FROM authenticators a
         WHERE a.identity_id = i.id AND a.usage = 'primary' AND a.status = 'active'
           AND (a.expires_at IS NULL OR a.expires_at > ${nowIso}::timestamptz)
      ) pr ON true
      LEFT JOIN LATERAL (
        SELECT min(${strengthCase("a", RECOVERY_STRENGTH)}) AS weakest
          FROM authenticators a
         WHERE a.identity_id = i.id AND a.usage = 'recovery' AND a.status = 'active'
           AND (a.expires_at IS NULL OR a.expires_at > ${nowIso}::timestamptz)
      ) rc ON true
     WHERE i.kind = 'human' ${filter}
    ON CONFLICT (identity_id) DO UPDATE SET
      department_id = excluded.department_id, active = excluded.active,
      primary_strength = excluded.primary_strength, recovery_strength = excluded.recovery_strength,
      effective_strength = excluded.effective_strength, phishing_resistant = excluded.phishing_resistant,
      has_privileged = excluded.has_privileged, updated_at = excluded.updated_at`);
}
