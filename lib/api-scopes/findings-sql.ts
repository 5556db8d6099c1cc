import { type SQL, sql } from "drizzle-orm";
import { FINDING_IDS, type FindingId, type Policy } from "./rules";

/**
 * The findings as SQL over the credential_risk rollup (alias `cr`): the same predicates as `findingsOf`
 * in rules.ts, evaluated at `now` with the admin's periods. Live credentials only.
 */
export function findingSql(id: FindingId | "stale_bulk", policy: Policy, now: Date): SQL {
  const staleBefore = new Date(now.getTime() - policy.staleAfterDays * 86_400_000).toISOString();
  const rotateBefore = new Date(now.getTime() - policy.rotationMaxDays * 86_400_000).toISOString();
  const predicate: Record<FindingId | "stale_bulk", SQL> = {
    orphaned: sql`cr.orphaned`,
    leaver_holder: sql`cr.leaver_holder`,
    bulk_pii: sql`cr.bulk_pii`,
    stale: sql`cr.last_activity_at < ${staleBefore}::timestamptz`,
    over_scoped: sql`cr.idle_scope_since < ${staleBefore}::timestamptz`,
    rotation_overdue: sql`cr.rotation_anchor_at < ${rotateBefore}::timestamptz`,
    no_expiry: sql`cr.no_expiry`,
    stale_bulk: sql`(cr.last_activity_at < ${staleBefore}::timestamptz AND cr.reach_bulk > 0)`,
  };
  return sql`(cr.live AND ${predicate[id]})`;
}

/** The ids of the findings a row has, as a text[] column. */
export function findingIdsSql(policy: Policy, now: Date): SQL<string[]> {
  const cases = FINDING_IDS.map((id) => sql`CASE WHEN ${findingSql(id, policy, now)} THEN ${id} END`);
  return sql<string[]>`array_remove(ARRAY[${sql.join(cases, sql`, `)}]::text[], NULL)`;
}
