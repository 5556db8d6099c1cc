import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import type { CampaignScope } from "@/db/schema/reviews";
import { intArray } from "@/db/sql";
import { findingIdsSql } from "@/lib/api-scopes/findings-sql";
import type { Policy } from "@/lib/api-scopes/rules";
import type { CampaignKind } from "./rules";

/** The scope with the older single-id fields folded into the lists. */
export function normalizeScope(
  s: CampaignScope,
): Required<Pick<CampaignScope, "departmentIds" | "systemIds" | "entitlementIds">> & CampaignScope {
  return {
    ...s,
    departmentIds: [...(s.departmentIds ?? []), ...(s.departmentId ? [s.departmentId] : [])],
    systemIds: [...(s.systemIds ?? []), ...(s.systemId ? [s.systemId] : [])],
    entitlementIds: s.entitlementIds ?? [],
  };
}

/**
 * The scope's departments with all their sub-departments, as ids (null: no department filter). Resolved before the
 * population query rather than inside it, so the planner sees a short literal list it can estimate — a recursive
 * CTE inside the query reads to it as "a third of the organisation" and it scans every grant.
 */
export async function expandDepartments(db: Db, scope: CampaignScope): Promise<number[] | null> {
  const ids = normalizeScope(scope).departmentIds;
  if (!ids.length) return null;
  const rows = await queryRows(
    db,
    sql`WITH RECURSIVE d(id) AS (
          SELECT id FROM departments WHERE id = ANY(${intArray(ids)})
          UNION SELECT x.id FROM departments x JOIN d ON x.parent_id = d.id)
        SELECT id FROM d`,
    z.object({ id: col.int }),
  );
  // An id that matches nothing still filters (to nothing), rather than widening the scope to everyone.
  return rows.length ? rows.map((r) => r.id) : [-1];
}

/**
 * What a campaign reviews, as SQL: one row per live grant of an active person (access) or per live credential
 * (API scope) within the scope, with `open_case` set when the subject is already inside an open leaver case (that
 * case revokes it; the campaign skips it but counts it). Columns: grant_id, credential_id, subject_id, system_id,
 * privileged, open_case; for access also what the item's snapshot needs from the grant and account (entitlement_id,
 * granted_at, source, last_used_at, username), so generation does not read the grants table twice.
 * `departments` is the scope's expanded department list (expandDepartments).
 */
export function populationSql(
  kind: CampaignKind,
  raw: CampaignScope,
  departments: number[] | null,
  policy: Policy,
  now: Date,
): SQL {
  const s = normalizeScope(raw);
  const openCase = (subject: SQL) =>
    sql`EXISTS (SELECT 1 FROM leaver_cases lc WHERE lc.identity_id = ${subject} AND lc.status <> 'closed')`;
  if (kind === "access") {
    const where: SQL[] = [sql`g.revoked_at IS NULL`];
    if (departments) where.push(sql`i.department_id = ANY(${intArray(departments)})`);
    if (s.systemIds.length) where.push(sql`a.system_id = ANY(${intArray(s.systemIds)})`);
    if (s.entitlementIds.length) where.push(sql`g.entitlement_id = ANY(${intArray(s.entitlementIds)})`);
    if (s.privilegedOnly) where.push(sql`e.privileged`);
    return sql`
      SELECT g.id AS grant_id, NULL::int AS credential_id, a.identity_id AS subject_id, a.system_id, e.privileged,
             ${openCase(sql`a.identity_id`)} AS open_case,
             g.entitlement_id, g.granted_at, g.source::text AS source, g.last_used_at, a.username
        FROM grants g
        JOIN accounts a ON a.id = g.account_id AND a.status = 'active'
        JOIN entitlements e ON e.id = g.entitlement_id
        JOIN identities i ON i.id = a.identity_id AND i.kind = 'human' AND i.status <> 'disabled'
       WHERE ${sql.join(where, sql` AND `)}`;
  }
  const where: SQL[] = [sql`c.status = 'active'`];
  if (departments) where.push(sql`cr.department_id = ANY(${intArray(departments)})`);
  if (s.systemIds.length) where.push(sql`c.issuer_system_id = ANY(${intArray(s.systemIds)})`);
  if (s.nonHumanOnly) where.push(sql`h.kind <> 'human'`);
  if (s.withFindings) where.push(sql`cardinality(${findingIdsSql(policy, now)}) > 0`);
  // Privileged for a credential: it reaches bulk-record endpoints (what the 2022 enumeration abused).
  if (s.privilegedOnly) where.push(sql`cr.reach_bulk > 0`);
  return sql`
    SELECT NULL::int8 AS grant_id, c.id AS credential_id, c.holder_id AS subject_id, c.issuer_system_id AS system_id,
           cr.reach_bulk > 0 AS privileged, ${openCase(sql`c.holder_id`)} AS open_case
      FROM credentials c
      JOIN credential_risk cr ON cr.credential_id = c.id
      JOIN identities h ON h.id = c.holder_id
     WHERE ${sql.join(where, sql` AND `)}`;
}

/** The selection in words, for the campaign page and the evidence report. */
export function describeScope(
  kind: CampaignKind,
  raw: CampaignScope,
  names: { departments: string[]; systems: string[]; entitlements: string[] },
): string {
  const s = normalizeScope(raw);
  const parts = [
    kind === "access" ? "Live grants of active people" : "Live API credentials",
    names.departments.length ? `in ${names.departments.join(", ")} (with sub-departments)` : null,
    names.systems.length ? `on ${names.systems.join(", ")}` : null,
    names.entitlements.length ? `of ${names.entitlements.join(", ")}` : null,
    s.privilegedOnly
      ? kind === "access"
        ? "privileged entitlements only"
        : "reaching bulk-record endpoints only"
      : null,
    s.nonHumanOnly ? "held by non-human identities" : null,
    s.withFindings ? "with at least one open finding" : null,
  ].filter(Boolean);
  return `${parts.join(", ")}; people inside an open leaver case are left to that case.`;
}

/**
 * The remediation a closed campaign asks for, as remediation items (lib/remediation/internal.ts ItemsQuery): one per
 * revoke or reduce decision — remove the grant, revoke the credential, or reduce its scopes to those kept — skipping
 * access that is already gone (a grant revoked meanwhile, a credential no longer live).
 */
export function remediationItemsSql(campaignId: number): SQL {
  return sql`
    SELECT i.id AS origin_id, i.subject_id,
           coalesce(a.system_id, cr.issuer_system_id) AS system_id,
           CASE WHEN i.grant_id IS NOT NULL THEN 'remove_grant'
                WHEN i.decision = 'reduce' THEN 'reduce_scopes' ELSE 'revoke_credential' END AS action,
           CASE WHEN i.grant_id IS NOT NULL THEN 'grant' ELSE 'credential' END AS target_type,
           coalesce(i.grant_id, i.credential_id)::int8 AS target_id,
           coalesce(e.name || ' on ' || s.name || ' (' || a.username || ')', cr.name || ' (' || s.name || ')') AS label,
           i.privileged, coalesce(ck.reach_bulk > 0, false) AS bulk, CASE WHEN i.privileged THEN 10 ELSE 30 END AS priority,
           CASE WHEN i.decision = 'reduce' THEN jsonb_build_object(
                  'keepScopes', to_jsonb(i.kept_scopes),
                  'dropScopes', to_jsonb(ARRAY(SELECT unnest(cr.scopes) EXCEPT SELECT unnest(i.kept_scopes)))) END AS params,
           NULL::int AS new_owner
      FROM review_items i
      LEFT JOIN grants g ON g.id = i.grant_id LEFT JOIN accounts a ON a.id = g.account_id
      LEFT JOIN entitlements e ON e.id = g.entitlement_id
      LEFT JOIN credentials cr ON cr.id = i.credential_id LEFT JOIN credential_risk ck ON ck.credential_id = cr.id
      JOIN systems s ON s.id = coalesce(a.system_id, cr.issuer_system_id)
     WHERE i.campaign_id = ${campaignId} AND i.decision IN ('revoke', 'reduce')
       AND (g.id IS NULL OR g.revoked_at IS NULL) AND (cr.id IS NULL OR cr.status = 'active')`;
}
