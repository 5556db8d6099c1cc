import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { affectedRows, type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import type { ReconciliationCounts } from "@/db/schema";

/**
 * The set-based heart of a reconciliation: what the system answered (the run's staging rows) against the
 * inventory of that system, in the caller's transaction. A fixed number of statements whatever the size.
 *
 * Accounts are matched first to Lockstep's own accounts on the system (remote id, then userName, then externalId),
 * then to identities (userName or email against the person's SCIM userName or email, externalId against the
 * employee number). Matched accounts take the system's word on status and remote id; identities without an
 * account get one; what the system no longer has is ended (accounts `deleted`, grants revoked). Groups become
 * entitlements by name, memberships grants (`discovered` when new).
 */
export async function applyStaged(
  db: Db,
  run: { id: number; systemId: number },
  now: Date,
): Promise<ReconciliationCounts & { driftTasks: number[]; leaverCases: number[] }> {
  const R = run.id;
  const S = run.systemId;
  const at = now.toISOString();

  // The staging tables were empty when last analyzed and now hold the run's rows (100k at a big system): without
  // fresh statistics the planner takes them for a handful of rows and probes them in nested loops (minutes at 100k).
  await db.execute(
    sql`ANALYZE reconciliation_staged_users, reconciliation_staged_groups, reconciliation_staged_members`,
  );

  // 1. Lockstep's accounts on the system: by remote id, then userName, then externalId (an account whose remote
  //    id the system still answers with belongs to that user, so it is not taken by another).
  await db.execute(sql`
    UPDATE reconciliation_staged_users su SET account_id = a.id, identity_id = a.identity_id
      FROM accounts a WHERE su.run_id = ${R} AND a.system_id = ${S} AND a.remote_id = su.remote_id`);
  await db.execute(sql`
    UPDATE reconciliation_staged_users su SET account_id = a.id, identity_id = a.identity_id
      FROM accounts a
     WHERE su.run_id = ${R} AND su.account_id IS NULL AND a.system_id = ${S} AND lower(a.username) = lower(su.user_name)
       AND NOT EXISTS (SELECT 1 FROM reconciliation_staged_users o WHERE o.run_id = ${R} AND o.account_id = a.id)
       AND (a.remote_id IS NULL OR NOT EXISTS (
             SELECT 1 FROM reconciliation_staged_users o WHERE o.run_id = ${R} AND o.remote_id = a.remote_id))`);
  await db.execute(sql`
    UPDATE reconciliation_staged_users su SET account_id = m.account_id, identity_id = m.identity_id
      FROM (SELECT DISTINCT ON (a.id) su.remote_id, a.id AS account_id, a.identity_id
              FROM reconciliation_staged_users su
              JOIN accounts a ON a.system_id = ${S} AND a.external_id = su.external_id
             WHERE su.run_id = ${R} AND su.account_id IS NULL AND su.external_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM reconciliation_staged_users o WHERE o.run_id = ${R} AND o.account_id = a.id)
               AND (a.remote_id IS NULL OR NOT EXISTS (
                     SELECT 1 FROM reconciliation_staged_users o WHERE o.run_id = ${R} AND o.remote_id = a.remote_id))
             ORDER BY a.id, su.remote_id) m
     WHERE su.run_id = ${R} AND su.remote_id = m.remote_id`);

  // 2. Identities for the rest, in order of confidence; each probe is a unique index lookup.
  await db.execute(sql`
    UPDATE reconciliation_staged_users su SET identity_id = (
        SELECT x.id FROM (
          SELECT i.id, 1 AS rank FROM identities i WHERE lower(coalesce(i.user_name, i.email)) = lower(su.user_name)
          UNION ALL SELECT i.id, 2 FROM identities i WHERE su.email IS NOT NULL AND lower(i.email) = lower(su.email)
          UNION ALL SELECT i.id, 3 FROM identities i WHERE lower(i.email) = lower(su.user_name)
          UNION ALL SELECT i.id, 4 FROM identities i WHERE su.external_id IS NOT NULL AND i.employee_number = su.external_id
        ) x ORDER BY x.rank LIMIT 1)
     WHERE su.run_id = ${R} AND su.account_id IS NULL`);

  // 3. New accounts for matched identities.
  await db.execute(sql`
    WITH ins AS (
      INSERT INTO accounts (system_id, identity_id, username, external_id, remote_id, status, created_at)
      SELECT ${S}, su.identity_id, su.user_name, su.external_id, su.remote_id,
             (CASE WHEN su.active THEN 'active' ELSE 'disabled' END)::account_status, ${at}::timestamptz
        FROM reconciliation_staged_users su
       WHERE su.run_id = ${R} AND su.account_id IS NULL AND su.identity_id IS NOT NULL
      ON CONFLICT DO NOTHING
      RETURNING id, remote_id)
    UPDATE reconciliation_staged_users su SET account_id = ins.id, created = true
      FROM ins WHERE su.run_id = ${R} AND su.remote_id = ins.remote_id`);

  // 4. Matched accounts take the system's word: its id, its status (a deleted account that is back is active).
  await db.execute(sql`
    UPDATE accounts a
       SET remote_id = su.remote_id, external_id = coalesce(su.external_id, a.external_id),
           status = (CASE WHEN su.active THEN 'active' ELSE 'disabled' END)::account_status
      FROM reconciliation_staged_users su
     WHERE su.run_id = ${R} AND NOT su.created AND su.account_id = a.id
       AND (a.remote_id IS DISTINCT FROM su.remote_id OR a.external_id IS DISTINCT FROM coalesce(su.external_id, a.external_id)
            OR a.status <> (CASE WHEN su.active THEN 'active' ELSE 'disabled' END)::account_status)`);

  // 5. What the system no longer has: the account is ended.
  const accountsEnded = await affectedRows(
    db,
    sql`
    UPDATE accounts a SET status = 'deleted'
     WHERE a.system_id = ${S} AND a.status <> 'deleted'
       AND NOT EXISTS (SELECT 1 FROM reconciliation_staged_users su WHERE su.run_id = ${R} AND su.account_id = a.id)`,
  );

  // 6. Groups → entitlements (by name), memberships → grants.
  const entitlementsAdded = await affectedRows(
    db,
    sql`
    INSERT INTO entitlements (system_id, name, description)
    SELECT DISTINCT ${S}::int, sg.display_name, 'Found at the system by reconciliation'
      FROM reconciliation_staged_groups sg WHERE sg.run_id = ${R}
    ON CONFLICT DO NOTHING`,
  );
  await db.execute(sql`
    UPDATE reconciliation_staged_members sm SET account_id = su.account_id, entitlement_id = e.id
      FROM reconciliation_staged_users su, reconciliation_staged_groups sg, entitlements e
     WHERE sm.run_id = ${R} AND su.run_id = ${R} AND su.remote_id = sm.user_remote_id
       AND sg.run_id = ${R} AND sg.remote_id = sm.group_remote_id
       AND e.system_id = ${S} AND e.name = sg.display_name AND su.account_id IS NOT NULL`);
  const grantsAdded = await affectedRows(
    db,
    sql`
    INSERT INTO grants (account_id, entitlement_id, source, granted_at)
    SELECT DISTINCT sm.account_id, sm.entitlement_id, 'discovered'::grant_source, ${at}::timestamptz
      FROM reconciliation_staged_members sm
     WHERE sm.run_id = ${R} AND sm.account_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.account_id = sm.account_id AND g.entitlement_id = sm.entitlement_id
                          AND g.revoked_at IS NULL)
    ON CONFLICT DO NOTHING`,
  );
  const grantsEnded = await affectedRows(
    db,
    sql`
    UPDATE grants g SET revoked_at = ${at}::timestamptz
      FROM accounts a
     WHERE g.account_id = a.id AND a.system_id = ${S} AND g.revoked_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM reconciliation_staged_members sm
                        WHERE sm.run_id = ${R} AND sm.account_id = g.account_id AND sm.entitlement_id = g.entitlement_id)`,
  );

  // 7. Findings: accounts nobody matches, and active accounts of leavers (a case past its effective time, or a
  //    closed one whose person has not come back).
  await db.execute(sql`
    INSERT INTO reconciliation_findings (run_id, kind, remote_id, user_name, email, external_id, display_name)
    SELECT ${R}, 'uncorrelated', su.remote_id, su.user_name, su.email, su.external_id, su.display_name
      FROM reconciliation_staged_users su WHERE su.run_id = ${R} AND su.identity_id IS NULL`);
  await db.execute(sql`
    INSERT INTO reconciliation_findings (run_id, kind, remote_id, user_name, email, external_id, display_name, account_id, identity_id, case_id)
    SELECT ${R}, 'leaver_live', su.remote_id, su.user_name, su.email, su.external_id, su.display_name, su.account_id, su.identity_id, c.id
      FROM reconciliation_staged_users su
      JOIN identities i ON i.id = su.identity_id
      JOIN LATERAL (
        SELECT lc.id FROM leaver_cases lc
         WHERE lc.identity_id = su.identity_id AND lc.cancelled_at IS NULL
           AND ((lc.status <> 'closed' AND lc.effective_at <= ${at}::timestamptz) OR (lc.status = 'closed' AND i.status <> 'active'))
         ORDER BY lc.opened_at DESC, lc.id DESC LIMIT 1) c ON true
     WHERE su.run_id = ${R} AND su.active`);

  // 8. The leaver pillar's drift watch re-verifies the revocations those accounts contradict (and reopens the
  //    case when the system confirms it): due now, watched for at least another day.
  const drift = await queryRows(
    db,
    sql`
    UPDATE remediation_tasks t
       SET last_drift_check_at = NULL,
           drift_watch_until = greatest(coalesce(t.drift_watch_until, ${at}::timestamptz), ${at}::timestamptz + interval '1 day')
      FROM reconciliation_findings f
     WHERE f.run_id = ${R} AND f.kind = 'leaver_live' AND t.case_id = f.case_id AND t.target_type = 'account'
       AND t.target_id = f.account_id AND t.state = 'verified' AND t.mode = 'connector'
       AND t.action IN ('disable_account', 'delete_account')
    RETURNING t.id`,
    z.object({ id: col.int }),
  );

  // The cases behind those accounts: the leaver pillar adds tasks for accounts they hold no task for.
  const cases = await queryRows(
    db,
    sql`SELECT DISTINCT case_id FROM reconciliation_findings WHERE run_id = ${R} AND kind = 'leaver_live' AND case_id IS NOT NULL`,
    z.object({ case_id: col.int }),
  );

  const [c] = await queryRows(
    db,
    sql`
    SELECT (SELECT count(*) FROM reconciliation_staged_users WHERE run_id = ${R}) AS users,
           (SELECT count(*) FROM reconciliation_staged_groups WHERE run_id = ${R}) AS groups,
           (SELECT count(*) FROM reconciliation_staged_members WHERE run_id = ${R}) AS memberships,
           (SELECT count(*) FROM reconciliation_staged_users WHERE run_id = ${R} AND account_id IS NOT NULL AND NOT created) AS matched,
           (SELECT count(*) FROM reconciliation_staged_users WHERE run_id = ${R} AND created) AS created,
           (SELECT count(*) FROM reconciliation_findings WHERE run_id = ${R} AND kind = 'uncorrelated') AS uncorrelated,
           (SELECT count(*) FROM reconciliation_findings WHERE run_id = ${R} AND kind = 'leaver_live') AS leaver_live`,
    z.object({
      users: col.int,
      groups: col.int,
      memberships: col.int,
      matched: col.int,
      created: col.int,
      uncorrelated: col.int,
      leaver_live: col.int,
    }),
  );
  await deleteStaged(db, R);
  return {
    users: c.users,
    groups: c.groups,
    memberships: c.memberships,
    matched: c.matched,
    created: c.created,
    uncorrelated: c.uncorrelated,
    leaverLive: c.leaver_live,
    accountsEnded,
    grantsAdded,
    grantsEnded,
    entitlementsAdded,
    driftTasks: drift.map((d) => d.id),
    leaverCases: cases.map((r) => r.case_id),
  };
}

/** A run's staging rows go when it is applied or fails. */
export async function deleteStaged(db: Db, runId: number): Promise<void> {
  await db.execute(sql`DELETE FROM reconciliation_staged_members WHERE run_id = ${runId}`);
  await db.execute(sql`DELETE FROM reconciliation_staged_groups WHERE run_id = ${runId}`);
  await db.execute(sql`DELETE FROM reconciliation_staged_users WHERE run_id = ${runId}`);
}
