import { exec, type SeedCtx, say } from "./context";
import { u } from "./random";

/**
 * What the leaver pipeline keeps beside the tasks: the queue rank, the drift-watch history of closed cases,
 * and the state of the simulated systems the seeded revocations acted on.
 */
export async function seedLeaverFollowUp(ctx: SeedCtx): Promise<void> {
  // Drift watch: closed cases still under watch were re-checked in the last day and held; the reopened ones drifted.
  await exec(
    ctx,
    `
    UPDATE leaver_cases c SET last_drift_check_at = CASE
             WHEN c.status = 'reopened' THEN c.reopened_at
             ELSE date_trunc('hour', ${ctx.NOW}) - (1 + (${u("c.id", 150)} * 20)::int) * interval '1 hour' END
     WHERE (c.status = 'closed' AND c.drift_watch_until > ${ctx.NOW}) OR c.status = 'reopened'`,
  );
  const checks = await exec(
    ctx,
    `
    INSERT INTO remediation_drift_checks (task_id, checked_at, outcome, detail)
    SELECT t.id, c.last_drift_check_at,
           CASE WHEN t.last_error LIKE 'Drift:%' THEN 'drifted'::drift_outcome ELSE 'held'::drift_outcome END,
           CASE WHEN t.last_error LIKE 'Drift:%' THEN 'Account found active again (signed in after the case closed)'
                ELSE 'Still disabled' END
      FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id
     WHERE c.last_drift_check_at IS NOT NULL AND t.action = 'disable_account' AND (t.state = 'verified' OR t.last_error LIKE 'Drift:%')
     ORDER BY t.case_id, t.id`,
  );

  // The drift watch works on tasks: closed cases' connector revocations are watched as long as their case is.
  await exec(
    ctx,
    `
    UPDATE remediation_tasks t SET drift_watch_until = c.drift_watch_until, last_drift_check_at = c.last_drift_check_at
      FROM leaver_cases c
     WHERE c.id = t.case_id AND c.status = 'closed' AND c.drift_watch_until IS NOT NULL
       AND t.state = 'verified' AND t.mode = 'connector'`,
  );

  // Simulated connectors read this stand-in: the revocations the seed applied are recorded as inactive there
  // (user = account external id, token = credential external ref, others by row id); the drifted account is live again.
  const sim = await exec(
    ctx,
    `
    INSERT INTO simulated_target_state (system_id, resource, external_key, active, changed_at, changed_by_task_id)
    -- Inactive (revoked) where the seed applied the revocation; live again only where the seed played a drift.
    SELECT t.system_id, x.resource, x.external_key, coalesce(t.last_error LIKE 'Drift:%', false),
           CASE WHEN t.last_error LIKE 'Drift:%' THEN c.reopened_at - interval '1 day' ELSE t.executed_at END, t.id
      FROM remediation_tasks t
      JOIN leaver_cases c ON c.id = t.case_id
      JOIN systems s ON s.id = t.system_id AND s.connector_simulated
      CROSS JOIN LATERAL (
        SELECT CASE t.action WHEN 'disable_account' THEN 'user' WHEN 'remove_grant' THEN 'grant' WHEN 'end_sessions' THEN 'sessions'
                           WHEN 'remove_device_trust' THEN 'device' WHEN 'revoke_credential' THEN 'token' ELSE 'factor' END AS resource,
               CASE t.action WHEN 'disable_account' THEN (SELECT coalesce(a.external_id, a.username) FROM accounts a WHERE a.id = t.target_id)
                           -- Sessions: the person's user on that system (lib/connectors/simulated.ts simulatedEntries).
                           WHEN 'end_sessions' THEN coalesce((SELECT a.username FROM accounts a WHERE a.identity_id = c.identity_id AND a.system_id = t.system_id ORDER BY a.id LIMIT 1),
                                                             (SELECT i.email FROM identities i WHERE i.id = c.identity_id))
                           WHEN 'revoke_credential' THEN (SELECT coalesce(cr.external_ref, cr.id::text) FROM credentials cr WHERE cr.id = t.target_id)
                           ELSE t.target_id::text END AS external_key
      ) x
     WHERE t.mode = 'connector' AND t.action <> 'transfer_ownership'
       AND (t.state IN ('done', 'verified') OR t.last_error LIKE 'Drift:%')
     ORDER BY t.id`,
  );
  say(ctx, `drift checks: ${checks}, simulated target rows: ${sim}`);
}
