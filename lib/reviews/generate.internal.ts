import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import type { CampaignPopulation, CampaignScope } from "@/db/schema/reviews";
import { intArray } from "@/db/sql";
import { findingIdsSql } from "@/lib/api-scopes/findings-sql";
import { loadPolicy } from "@/lib/api-scopes/policy";
import type { Policy } from "@/lib/api-scopes/rules";
import type { Ctx } from "@/lib/context";
import { reviewerIn } from "@/lib/people/eligible";
import { describeScope, expandDepartments, normalizeScope, populationSql } from "./population";
import { type CampaignKind, FEW_PEERS_SHARE, MIN_PEER_GROUP, MOST_PEERS_SHARE, UNUSED_DAYS } from "./rules";

/**
 * Campaign generation, set-based, in the caller's transaction (createCampaign and the schedule job authorize and
 * audit around it). One INSERT … SELECT creates every item with its reviewer, its recommendation and the snapshot
 * the reviewer needs; the population (what matched, what was skipped, how it was chosen) is returned for the
 * campaign row so the evidence report can prove completeness.
 */
export type LaunchTarget = {
  id: number;
  kind: CampaignKind;
  scope: CampaignScope;
  fallbackReviewerId: number;
};

const n = (x: number) => sql.raw(String(x));

/**
 * Step 1 of generation: the population, with every column the items need, into a temporary table (dropped at
 * commit) with fresh statistics. Step 2 (planSql) then plans against real row counts: a three-department campaign
 * reads those departments' grants by index instead of scanning every grant of the organisation.
 */
async function materialize(tx: Ctx, c: Omit<LaunchTarget, "id">, policy: Policy): Promise<void> {
  // For this transaction only: the launch's sorts and hashes (100k items with their snapshots) fit in memory instead
  // of spilling to disk at the default work_mem. (JIT, which would cost seconds here, is off for every app session.)
  await tx.db.execute(sql`SET LOCAL work_mem = '128MB'`);
  const stale = new Date(tx.now.getTime() - UNUSED_DAYS * 86_400_000).toISOString();
  const pop = populationSql(c.kind, c.scope, await expandDepartments(tx.db, c.scope), policy, tx.now);
  const base =
    c.kind === "access"
      ? sql`
      SELECT k.grant_id, k.subject_id, k.privileged, k.open_case, k.entitlement_id, k.granted_at, k.source, k.last_used_at,
             coalesce(k.last_used_at, k.granted_at) AS activity, e.name AS entitlement, s.id AS system_id, s.name AS system,
             k.username, p.department_id, p.status::text AS subject_status, d.name AS department,
             CASE WHEN m.id IS NOT NULL AND m.id <> k.subject_id AND ${reviewerIn("m")} THEN m.id END AS manager_id
        FROM (${pop}) k
        JOIN entitlements e ON e.id = k.entitlement_id JOIN systems s ON s.id = k.system_id
        JOIN identities p ON p.id = k.subject_id LEFT JOIN departments d ON d.id = p.department_id
        LEFT JOIN identities m ON m.id = p.manager_id`
      : sql`
      SELECT k.credential_id, k.subject_id, k.privileged, k.open_case, c.name, c.kind::text AS kind, c.scopes, c.created_at,
             c.last_used_at, c.expires_at, coalesce(c.last_used_at, c.created_at) AS activity, s.id AS system_id, s.name AS system,
             cr.blast_radius, cr.reach_bulk, cr.orphaned, cr.leaver_holder, ${findingIdsSql(policy, tx.now)} AS findings,
             h.display_name AS holder, o.display_name AS owner,
             CASE WHEN o.id IS NOT NULL AND o.id <> k.subject_id AND ${reviewerIn("o")} THEN o.id END AS owner_id,
             CASE WHEN m.id IS NOT NULL AND m.id <> k.subject_id AND ${reviewerIn("m")} THEN m.id END AS manager_id,
             u.used, u.scopes_seen
        FROM (${pop}) k
        JOIN credentials c ON c.id = k.credential_id JOIN credential_risk cr ON cr.credential_id = c.id
        JOIN systems s ON s.id = c.issuer_system_id JOIN identities h ON h.id = c.holder_id
        LEFT JOIN identities o ON o.id = c.owner_id LEFT JOIN identities m ON m.id = h.manager_id
        LEFT JOIN LATERAL (
          SELECT coalesce(array_agg(su.scope ORDER BY su.scope) FILTER (WHERE su.last_used_at >= ${stale}::timestamptz), '{}') AS used,
                 coalesce(jsonb_agg(jsonb_build_object('scope', su.scope, 'lastUsedAt', su.last_used_at) ORDER BY su.scope), '[]') AS scopes_seen
            FROM credential_scope_usage su WHERE su.credential_id = c.id) u ON true`;
  // Two campaigns may be generated in one transaction (the seed, a schedule run): start from a fresh table.
  await tx.db.execute(sql`DROP TABLE IF EXISTS pg_temp.review_gen`);
  await tx.db.execute(sql`CREATE TEMP TABLE review_gen ON COMMIT DROP AS ${base}`);
  // Row count and the keys step 2 joins and filters on: statistics of the wide text columns would cost as much again.
  await tx.db.execute(
    c.kind === "access"
      ? sql`ANALYZE review_gen (department_id, entitlement_id, system_id, open_case)`
      : sql`ANALYZE review_gen (system_id, open_case)`,
  );
}

/**
 * Step 2: the items, as SQL CTEs over \`review_gen\` (\`base\`, …, \`assigned\`): each candidate's reviewer, relation,
 * recommendation and snapshot. Writes nothing: the preview counts it, generateItems inserts it.
 */
function planSql(tx: Ctx, c: Omit<LaunchTarget, "id">): SQL {
  const stale = new Date(tx.now.getTime() - UNUSED_DAYS * 86_400_000).toISOString();
  const fallback = sql`(SELECT f.id FROM identities f WHERE f.id = ${c.fallbackReviewerId} AND ${reviewerIn("f")})`;
  // \`cand\` holds one row per item with its natural reviewer and recommendation.
  const items =
    c.kind === "access"
      ? sql`
    base AS (SELECT * FROM review_gen WHERE NOT open_case),
    team AS (
      SELECT department_id, count(*)::int AS size FROM identities
       WHERE kind = 'human' AND status = 'active' AND department_id IN (SELECT department_id FROM review_gen)
       GROUP BY department_id
    ),
    -- From the people of the campaign's departments to their grants (by index), read straight from review_gen, whose
    -- statistics say how few departments and entitlements that is.
    peers AS (
      SELECT i.department_id, g.entitlement_id, count(DISTINCT i.id)::int AS holding
        FROM identities i
        JOIN accounts a ON a.identity_id = i.id AND a.status = 'active'
        JOIN grants g ON g.account_id = a.id AND g.revoked_at IS NULL
       WHERE i.kind = 'human' AND i.status = 'active'
         AND i.department_id IN (SELECT department_id FROM review_gen)
         AND g.entitlement_id IN (SELECT entitlement_id FROM review_gen)
       GROUP BY i.department_id, g.entitlement_id
    ),
    cand AS (
    SELECT b.grant_id, NULL::int AS credential_id, b.subject_id, b.privileged, b.manager_id AS natural_id,
           'manager' AS natural_relation, b.system_id,
           r.rec, r.reason,
           jsonb_build_object(
             'system', b.system, 'systemId', b.system_id, 'entitlement', b.entitlement, 'entitlementId', b.entitlement_id,
             'account', b.username, 'privileged', b.privileged, 'grantedAt', b.granted_at, 'source', b.source,
             'lastUsedAt', b.last_used_at, 'department', b.department,
             'peers', jsonb_build_object('holding', coalesce(pe.holding, 0), 'team', coalesce(t.size, 0)),
             'earlierReview', CASE WHEN er.grant_id IS NOT NULL THEN
               jsonb_build_object('campaign', er.campaign, 'decision', er.decision, 'decidedAt', er.decided_at) END
           ) AS snapshot
      FROM base b
      LEFT JOIN team t ON t.department_id = b.department_id
      LEFT JOIN peers pe ON pe.department_id = b.department_id AND pe.entitlement_id = b.entitlement_id
      -- The grant's latest decision, one probe of review_items_grant_decided_idx per item: a join would scan every
      -- item of every campaign (and plans badly while a big rolled-back launch still bloats the table).
      LEFT JOIN LATERAL (
        SELECT ri.grant_id, rc.name AS campaign, ri.decision::text AS decision, ri.decided_at
          FROM review_items ri JOIN review_campaigns rc ON rc.id = ri.campaign_id
         WHERE ri.grant_id = b.grant_id AND ri.decision IS NOT NULL
         ORDER BY ri.decided_at DESC LIMIT 1) er ON true
      CROSS JOIN LATERAL (SELECT coalesce(t.size, 0) >= ${n(MIN_PEER_GROUP)} AS meaningful,
                                 coalesce(pe.holding, 0)::float8 / greatest(coalesce(t.size, 0), 1) AS share) ps
      CROSS JOIN LATERAL (SELECT
        CASE WHEN b.subject_status = 'leaver' THEN 'revoke'
             WHEN b.privileged AND b.last_used_at IS NULL THEN 'revoke'
             WHEN b.activity < ${stale}::timestamptz THEN 'revoke'
             WHEN ps.meaningful AND ps.share < ${n(FEW_PEERS_SHARE)} THEN 'look_closely'
             ELSE 'keep' END AS rec,
        CASE WHEN b.subject_status = 'leaver' THEN 'Held by a leaver'
             WHEN b.privileged AND b.last_used_at IS NULL THEN 'Privileged and never used'
             WHEN b.activity < ${stale}::timestamptz THEN 'Unused for ' || ${n(UNUSED_DAYS)} || ' days' ||
                  CASE WHEN b.last_used_at IS NOT NULL THEN ' (last used ' || (b.last_used_at AT TIME ZONE 'UTC')::date || ')' ELSE ' (never used)' END
             WHEN ps.meaningful AND ps.share < ${n(FEW_PEERS_SHARE)}
               THEN 'Held by only ' || coalesce(pe.holding, 0) || ' of ' || t.size || ' people in ' || coalesce(b.department, 'the department')
             WHEN ps.meaningful AND ps.share >= ${n(MOST_PEERS_SHARE)} AND b.last_used_at IS NOT NULL
               THEN 'Held by ' || coalesce(pe.holding, 0) || ' of ' || t.size || ' people in ' || coalesce(b.department, 'the department') || ', and used'
             ELSE 'Used in the last ' || ${n(UNUSED_DAYS)} || ' days' END AS reason) r)`
      : sql`
    base AS (SELECT * FROM review_gen WHERE NOT open_case),
    cand AS (
    SELECT NULL::int8 AS grant_id, b.credential_id, b.subject_id, b.privileged,
           coalesce(b.owner_id, b.manager_id) AS natural_id,
           CASE WHEN b.owner_id IS NOT NULL THEN 'owner' ELSE 'manager' END AS natural_relation, b.system_id,
           r.rec, r.reason,
           jsonb_build_object(
             'system', b.system, 'systemId', b.system_id, 'name', b.name, 'kind', b.kind, 'scopes', to_jsonb(b.scopes),
             'scopeUse', b.scopes_seen, 'usedScopes', to_jsonb(b.used), 'createdAt', b.created_at, 'lastUsedAt', b.last_used_at,
             'expiresAt', b.expires_at, 'blastRadius', b.blast_radius, 'reachBulk', b.reach_bulk, 'findings', to_jsonb(b.findings),
             'holder', b.holder, 'owner', b.owner
           ) AS snapshot
      FROM base b
      CROSS JOIN LATERAL (SELECT
        -- Scopes with usage data that were not used lately, while some were: reduce to the used ones.
        (jsonb_array_length(b.scopes_seen) > 0 AND cardinality(b.used) > 0 AND cardinality(b.used) < cardinality(b.scopes)) AS reducible) x
      CROSS JOIN LATERAL (SELECT
        CASE WHEN b.orphaned OR b.leaver_holder THEN 'revoke'
             WHEN b.activity < ${stale}::timestamptz THEN 'revoke'
             WHEN x.reducible THEN 'reduce'
             ELSE 'keep' END AS rec,
        CASE WHEN b.leaver_holder THEN 'Held by a leaver'
             WHEN b.orphaned THEN 'Orphaned: nobody answers for it'
             WHEN b.activity < ${stale}::timestamptz THEN 'Unused for ' || ${n(UNUSED_DAYS)} || ' days' ||
                  CASE WHEN b.last_used_at IS NOT NULL THEN ' (last used ' || (b.last_used_at AT TIME ZONE 'UTC')::date || ')' ELSE ' (never used)' END
             WHEN x.reducible THEN 'Scopes unused for ' || ${n(UNUSED_DAYS)} || ' days: ' ||
                  array_to_string(ARRAY(SELECT unnest(b.scopes) EXCEPT SELECT unnest(b.used) ORDER BY 1), ', ')
             ELSE 'All scopes used in the last ' || ${n(UNUSED_DAYS)} || ' days' END AS reason) r)`;

  // Reviewer: the natural one (manager; for credentials the accountable owner, else the holder's manager), else the
  // campaign's fallback, else the system's owner — never the subject.
  return sql`
    WITH ${items},
    assigned AS (
      SELECT cand.*, CASE
               WHEN cand.natural_id IS NOT NULL THEN cand.natural_id
               WHEN fb.id IS NOT NULL AND fb.id <> cand.subject_id THEN fb.id
               WHEN so.id IS NOT NULL AND so.id <> cand.subject_id AND ${reviewerIn("so")} THEN so.id END AS reviewer_id,
             CASE WHEN cand.natural_id IS NOT NULL THEN cand.natural_relation
                  WHEN fb.id IS NOT NULL AND fb.id <> cand.subject_id THEN 'fallback' ELSE 'system_owner' END AS relation
        FROM cand
        LEFT JOIN LATERAL ${fallback} fb ON true
        LEFT JOIN systems sy ON sy.id = cand.system_id LEFT JOIN identities so ON so.id = sy.owner_id
    )`;
}

const counts = z.object({ matched: col.int, open_case: col.int, items: col.int, reviewers: col.int });

/**
 * What launching would create: matched, skipped (open leaver case), items, distinct reviewers, and how many items
 * have no natural reviewer (they go to the fallback, or to the system's owner) or no reviewer at all (not created).
 * Needs a transaction (its working table is dropped at commit); the preview runs in one that writes nothing else.
 */
export async function planCounts(tx: Ctx, c: Omit<LaunchTarget, "id">) {
  await materialize(tx, c, await loadPolicy(tx.db));
  const [r] = await queryRows(
    tx.db,
    sql`${planSql(tx, c)}
    SELECT (SELECT count(*) FROM review_gen)::int AS matched, (SELECT count(*) FROM review_gen WHERE open_case)::int AS open_case,
           (SELECT count(*) FROM assigned WHERE reviewer_id IS NOT NULL)::int AS items,
           (SELECT count(DISTINCT reviewer_id) FROM assigned)::int AS reviewers,
           (SELECT count(*) FROM assigned WHERE reviewer_id IS NOT NULL AND relation = 'fallback')::int AS fallback,
           (SELECT count(*) FROM assigned WHERE reviewer_id IS NOT NULL AND relation = 'system_owner')::int AS system_owner,
           (SELECT count(*) FROM assigned WHERE reviewer_id IS NULL)::int AS unassigned`,
    counts.extend({ fallback: col.int, system_owner: col.int, unassigned: col.int }),
  );
  return {
    matched: r.matched,
    skippedOpenCase: r.open_case,
    items: r.items,
    reviewers: r.reviewers,
    toFallback: r.fallback,
    toSystemOwner: r.system_owner,
    unassigned: r.unassigned,
    definition: await scopeInWords(tx, c.kind, c.scope),
  };
}

/** Inserts the campaign's items (one INSERT … SELECT) and returns its population for the campaign row. */
export async function generateItems(tx: Ctx, c: LaunchTarget): Promise<CampaignPopulation> {
  const now = tx.now.toISOString();
  await materialize(tx, c, await loadPolicy(tx.db));
  const [stats] = await queryRows(
    tx.db,
    sql`${planSql(tx, c)},
    ins AS (
      INSERT INTO review_items (campaign_id, reviewer_id, reviewer_relation, stage, subject_id, grant_id, credential_id, privileged,
                                snapshot, recommendation, recommendation_reason, assigned_at)
      SELECT ${c.id}, a.reviewer_id, a.relation::reviewer_relation, 1, a.subject_id, a.grant_id, a.credential_id, a.privileged,
             a.snapshot, a.rec::review_recommendation, a.reason, ${now}::timestamptz
        FROM assigned a WHERE a.reviewer_id IS NOT NULL
       ORDER BY a.subject_id, coalesce(a.grant_id, a.credential_id)
      RETURNING reviewer_id
    )
    SELECT (SELECT count(*) FROM review_gen)::int AS matched, (SELECT count(*) FROM review_gen WHERE open_case)::int AS open_case,
           (SELECT count(*) FROM ins)::int AS items, (SELECT count(DISTINCT reviewer_id) FROM ins)::int AS reviewers`,
    counts,
  );
  return {
    matched: stats.matched,
    items: stats.items,
    skippedOpenCase: stats.open_case,
    reviewers: stats.reviewers,
    definition: await scopeInWords(tx, c.kind, c.scope),
    selectedAt: now,
  };
}

/** The campaign's selection in words, with the names of its departments, systems and entitlements. */
export async function scopeInWords(tx: Ctx, kind: CampaignKind, raw: CampaignScope): Promise<string> {
  const s = normalizeScope(raw);
  const [names] = await queryRows(
    tx.db,
    sql`SELECT
      ARRAY(SELECT name FROM departments WHERE id = ANY(${intArray(s.departmentIds)}) ORDER BY name) AS departments,
      ARRAY(SELECT name FROM systems WHERE id = ANY(${intArray(s.systemIds)}) ORDER BY name) AS systems,
      ARRAY(SELECT name FROM entitlements WHERE id = ANY(${intArray(s.entitlementIds)}) ORDER BY name) AS entitlements`,
    z.object({ departments: col.textArray, systems: col.textArray, entitlements: col.textArray }),
  );
  return describeScope(kind, raw, names);
}
