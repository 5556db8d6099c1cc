import { type SeedCtx, analyze, exec, say } from "./context";
import { key2, u } from "./random";

/**
 * Revocation tasks: one per thing each leaver held, across every connected system (accounts, privileged
 * grants first, sessions, trusted devices, credentials they hold, recovery factors, ownership of their
 * non-human identities). States follow the case (open: pending; in progress: a mix with failures; closed:
 * verified), verified revocations are applied to the target rows, and the case counters are filled.
 */
export async function seedRevocationTasks(ctx: SeedCtx): Promise<void> {
  const now = ctx.NOW;
  const r = (salt: number) => u(key2("t.case_id", "t.target_id * 8 + t.k"), salt);
  const bulkReach = `EXISTS (SELECT 1 FROM api_endpoints e WHERE e.system_id = cr.issuer_system_id AND e.bulk AND e.scope = ANY(cr.scopes))`;
  const okta = "(SELECT id FROM systems WHERE slug = 'okta')";
  const directory = "(SELECT id FROM systems WHERE slug = 'corp-directory')";
  const n = await exec(ctx, `
    WITH t AS (
      SELECT c.id AS case_id, a.system_id, 'disable_account' AS kind, 1 AS k, 'account' AS target_type, a.id::int8 AS target_id,
             s.name || ': ' || a.username AS label,
             EXISTS (SELECT 1 FROM grants g JOIN entitlements e ON e.id = g.entitlement_id AND e.privileged
                      WHERE g.account_id = a.id AND g.revoked_at IS NULL) AS privileged,
             false AS bulk, CASE WHEN s.criticality = 'critical' THEN 25 ELSE 30 END AS priority
        FROM leaver_cases c JOIN accounts a ON a.identity_id = c.identity_id JOIN systems s ON s.id = a.system_id
      UNION ALL
      SELECT c.id, a.system_id, 'remove_grant', 2, 'grant', g.id, e.name || ' on ' || s.name, true, false, 10
        FROM leaver_cases c JOIN accounts a ON a.identity_id = c.identity_id JOIN systems s ON s.id = a.system_id
        JOIN grants g ON g.account_id = a.id AND g.revoked_at IS NULL
        JOIN entitlements e ON e.id = g.entitlement_id AND e.privileged
      UNION ALL
      SELECT c.id, x.system_id, 'end_sessions', 3, 'session', x.id, 'Session on ' || s.name || ' from ' || coalesce(x.ip_address, 'unknown'), false, false, 35
        FROM leaver_cases c JOIN app_sessions x ON x.identity_id = c.identity_id AND x.revoked_at IS NULL JOIN systems s ON s.id = x.system_id
      UNION ALL
      SELECT c.id, d.system_id, 'remove_device_trust', 4, 'device', d.id, d.name || ' (' || d.platform || ')', false, false, 45
        FROM leaver_cases c JOIN trusted_devices d ON d.identity_id = c.identity_id AND d.revoked_at IS NULL AND d.system_id IS NOT NULL
      UNION ALL
      SELECT c.id, cr.issuer_system_id, 'revoke_credential', 5, 'credential', cr.id, cr.name || ' (' || s.name || ')', false,
             ${bulkReach}, CASE WHEN ${bulkReach} THEN 20 ELSE 40 END
        FROM leaver_cases c JOIN credentials cr ON cr.holder_id = c.identity_id AND cr.status = 'active' JOIN systems s ON s.id = cr.issuer_system_id
      UNION ALL
      SELECT c.id, ${okta}, 'remove_recovery_factor', 6, 'authenticator', au.id, coalesce(au.label, au.type::text) || ' (recovery)', false, false, 50
        FROM leaver_cases c JOIN authenticators au ON au.identity_id = c.identity_id AND au.usage = 'recovery' AND au.status = 'active'
      UNION ALL
      SELECT c.id, ${directory}, 'transfer_nhi_ownership', 7, 'identity', n.id, n.display_name || ' (' || n.kind || ')', false,
             EXISTS (SELECT 1 FROM credentials cr WHERE cr.holder_id = n.id AND cr.status = 'active'
                        AND EXISTS (SELECT 1 FROM api_endpoints e WHERE e.system_id = cr.issuer_system_id AND e.bulk AND e.scope = ANY(cr.scopes))), 60
        FROM leaver_cases c JOIN identities n ON n.owner_id = c.identity_id AND n.kind <> 'human'
    )
    INSERT INTO revocation_tasks (case_id, system_id, kind, target_type, target_id, target_label, privileged, bulk_data, priority, state,
                                  attempts, last_error, executed_at, verified_at, verification, evidence, confirmed_by_id,
                                  second_confirmed_by_id, waived_by_id, waived_reason, new_owner_id, updated_at,
                                  mode, assignee_id, connector_kind, simulated, outcome, not_before, lease_until, error_retryable)
    SELECT z.case_id, z.system_id, z.kind::revocation_task_kind, z.target_type, z.target_id, z.label, z.privileged, z.bulk, z.priority,
           z.state::revocation_task_state,
           CASE z.state WHEN 'pending' THEN 0 WHEN 'waived' THEN 0 WHEN 'failed' THEN 3 WHEN 'verified' THEN 1 + (z.ux < 0.1)::int ELSE 1 END,
           CASE WHEN z.state = 'failed' THEN CASE z.connector
                  WHEN 'scim' THEN 'SCIM PATCH /Users/' || z.target_id || ': 503 Service Unavailable (retry 3 of 5)'
                  WHEN 'oauth' THEN 'Revocation endpoint timed out after 10000 ms; the token is assumed live (RFC 7009)'
                  ELSE 'Webhook delivery failed: 502 Bad Gateway' END END,
           CASE WHEN z.state IN ('done', 'verified', 'failed') THEN z.exec_at END,
           CASE WHEN z.state = 'verified' THEN z.verify_at END,
           CASE WHEN z.state = 'verified' THEN CASE z.connector
                  WHEN 'scim' THEN 'scim GET /Users/{id}: active=false'
                  WHEN 'oauth' THEN CASE WHEN z.kind = 'revoke_credential' THEN 'introspection: active=false' ELSE 'oauth API re-read: access removed' END
                  WHEN 'webhook' THEN 'webhook callback: revocation confirmed'
                  ELSE 'manual: confirmed with evidence' END END,
           CASE WHEN z.state = 'verified' AND z.connector = 'manual'
                THEN jsonb_build_object('ticket', 'RITM' || lpad((z.case_id * 100 + z.target_id % 100)::text, 7, '0'),
                                        'note', 'Screenshot of the disabled access attached to the ticket') END,
           CASE WHEN z.state = 'verified' AND z.mode = 'manual' THEN coalesce(z.system_owner, z.assignee) END,
           CASE WHEN z.state = 'verified' AND z.mode = 'manual' AND z.privileged THEN z.assignee END,
           CASE WHEN z.state = 'waived' THEN z.assignee END,
           CASE WHEN z.state = 'waived' THEN (ARRAY['Account already deleted by the vendor before the case opened',
                                                    'Device reported lost; remote wipe issued through the MDM separately',
                                                    'Mailbox session kept for legal hold (approved by Legal)'])[1 + (z.target_id % 3)::int] END,
           CASE WHEN z.state = 'verified' AND z.kind = 'transfer_nhi_ownership' THEN z.new_owner END,
           coalesce(CASE WHEN z.state = 'verified' THEN z.verify_at END, CASE WHEN z.state IN ('done', 'failed') THEN z.exec_at END, z.opened_at),
           z.mode,
           -- Manual tasks (no working connector) are assigned to the system owner, who confirms them with evidence.
           CASE WHEN z.mode = 'manual' THEN z.system_owner END,
           CASE WHEN z.mode = 'connector' AND z.state IN ('done', 'verified', 'failed') THEN z.connector END,
           z.mode = 'connector' AND z.state IN ('done', 'verified', 'failed') AND z.system_simulated,
           CASE WHEN z.state IN ('done', 'verified') THEN CASE WHEN z.ux > 0.96 THEN 'already_gone' ELSE 'done' END END,
           CASE WHEN z.state = 'failed' THEN ${now} + date_trunc('second', (5 + 25 * z.ux) * interval '1 minute') END,
           CASE WHEN z.state = 'running' THEN ${now} + interval '2 minutes' END,
           CASE WHEN z.state = 'failed' THEN true END
      FROM (
        SELECT t.*, c.opened_at, s.connector_kind::text AS connector, m.id AS new_owner, s.owner_id AS system_owner,
               s.connector_simulated AS system_simulated,
               CASE WHEN t.kind = 'transfer_nhi_ownership' THEN 'handover' WHEN s.connector_kind = 'manual' THEN 'manual' ELSE 'connector' END AS mode,
               coalesce(c.assignee_id, ${ctx.ids.avery}) AS assignee,
               ${r(121)} AS ux,
               CASE
                 WHEN c.status = 'open' THEN 'pending'
                 WHEN c.status IN ('closed', 'reopened') THEN
                   CASE WHEN ${r(120)} < 0.03 AND NOT t.privileged AND t.kind IN ('end_sessions', 'remove_device_trust')
                             AND c.identity_id <> ${ctx.ids.ingrid} THEN 'waived' ELSE 'verified' END
                 WHEN t.priority <= 20 THEN
                   CASE WHEN ${r(120)} < 0.75 THEN 'verified' WHEN ${r(120)} < 0.85 THEN 'done'
                        WHEN ${r(120)} < 0.93 AND s.connector_kind <> 'manual' THEN 'failed' ELSE 'running' END
                 ELSE
                   CASE WHEN ${r(120)} < 0.42 THEN 'verified' WHEN ${r(120)} < 0.57 THEN 'done' WHEN ${r(120)} < 0.62 THEN 'running'
                        WHEN ${r(120)} < 0.70 AND s.connector_kind <> 'manual' THEN 'failed'
                        WHEN ${r(120)} < 0.73 AND t.kind IN ('end_sessions', 'remove_device_trust') THEN 'waived' ELSE 'pending' END
               END AS state,
               least(${now} - interval '3 minutes', greatest(c.effective_at, c.opened_at)
                 + date_trunc('second', ((t.priority / 10.0) * 5 + 30 * ${r(122)}) * interval '1 minute')
                 + CASE WHEN s.connector_kind = 'manual' THEN date_trunc('second', (2 + 40 * ${r(123)}) * interval '1 hour') ELSE interval '0' END) AS exec_at,
               least(${now} - interval '1 minute', greatest(c.effective_at, c.opened_at)
                 + date_trunc('second', ((t.priority / 10.0) * 5 + 30 * ${r(122)} + 1 + 9 * ${r(124)}) * interval '1 minute')
                 + CASE WHEN s.connector_kind = 'manual' THEN date_trunc('second', (3 + 40 * ${r(123)}) * interval '1 hour') ELSE interval '0' END) AS verify_at
          FROM t
          JOIN leaver_cases c ON c.id = t.case_id
          JOIN systems s ON s.id = t.system_id
          JOIN identities i ON i.id = c.identity_id
          LEFT JOIN identities m ON m.id = i.manager_id AND m.status = 'active'
      ) z
     ORDER BY z.case_id, z.priority, z.kind, z.target_id`);
  say(ctx, `revocation tasks: ${n.toLocaleString("en-US")}`);
  await analyze(ctx, "revocation_tasks");
  await storyTaskStates(ctx);
  await applyRevocations(ctx);
  await closeCases(ctx);
}

/** Chloe's case shows a failing Salesforce connector; Kofi's reopened case shows the drift that reopened it. */
async function storyTaskStates(ctx: SeedCtx): Promise<void> {
  await exec(ctx, `
    UPDATE revocation_tasks t SET state = 'failed', attempts = 3, verified_at = NULL, verification = NULL,
           executed_at = ${ctx.NOW} - interval '40 minutes', updated_at = ${ctx.NOW} - interval '40 minutes',
           last_error = 'Salesforce SCIM: 503 Service Unavailable (retry 3 of 5); next attempt in 10 minutes'
      FROM leaver_cases c, systems s
     WHERE c.id = t.case_id AND c.identity_id = ${ctx.ids.chloe} AND s.id = t.system_id AND s.slug = 'salesforce'`);
  await exec(ctx, `
    UPDATE revocation_tasks t SET state = 'verified', attempts = 1, executed_at = ${ctx.NOW} - interval '50 minutes',
           verified_at = ${ctx.NOW} - interval '48 minutes', updated_at = ${ctx.NOW} - interval '48 minutes',
           verification = 'introspection: active=false'
      FROM leaver_cases c, systems s
     WHERE c.id = t.case_id AND c.identity_id = ${ctx.ids.chloe} AND s.id = t.system_id AND s.slug <> 'salesforce'
       AND t.kind IN ('revoke_credential', 'remove_grant')`);
  // Drift: one disable_account per reopened case goes back to pending (Kofi's is Snowflake).
  await exec(ctx, `
    UPDATE revocation_tasks t SET state = 'pending', verified_at = NULL, verification = NULL, attempts = t.attempts + 1,
           last_error = 'Drift: re-verification found the account active again; re-run the revocation'
      FROM (
        SELECT DISTINCT ON (t.case_id) t.id
          FROM revocation_tasks t JOIN leaver_cases c ON c.id = t.case_id AND c.status = 'reopened' JOIN systems s ON s.id = t.system_id
         WHERE t.kind = 'disable_account'
         ORDER BY t.case_id, (c.identity_id = ${ctx.ids.kofi} AND s.slug = 'snowflake') DESC, t.priority, t.id
      ) d
     WHERE t.id = d.id`);
}

/** Verified (and executed) revocations are reflected on the rows they revoked. */
async function applyRevocations(ctx: SeedCtx): Promise<void> {
  const done = "t.state IN ('done', 'verified')";
  await exec(ctx, `UPDATE accounts a SET status = CASE WHEN s.deprovision_mode = 'delete' THEN 'deleted' ELSE 'disabled' END::account_status
                     FROM revocation_tasks t, systems s
                    WHERE t.kind = 'disable_account' AND ${done} AND a.id = t.target_id AND s.id = a.system_id`);
  await exec(ctx, `UPDATE grants g SET revoked_at = t.executed_at FROM revocation_tasks t
                    WHERE t.kind = 'remove_grant' AND ${done} AND g.id = t.target_id`);
  // Disabling an account ends its grants too (history kept), so closed cases leave no live access behind.
  await exec(ctx, `UPDATE grants g SET revoked_at = t.executed_at FROM revocation_tasks t
                    WHERE t.kind = 'disable_account' AND ${done} AND g.account_id = t.target_id AND g.revoked_at IS NULL`);
  await exec(ctx, `UPDATE app_sessions x SET revoked_at = t.executed_at FROM revocation_tasks t
                    WHERE t.kind = 'end_sessions' AND ${done} AND x.id = t.target_id`);
  await exec(ctx, `UPDATE trusted_devices d SET revoked_at = t.executed_at FROM revocation_tasks t
                    WHERE t.kind = 'remove_device_trust' AND ${done} AND d.id = t.target_id`);
  await exec(ctx, `UPDATE credentials c SET status = 'revoked', revoked_at = t.executed_at FROM revocation_tasks t
                    WHERE t.kind = 'revoke_credential' AND ${done} AND c.id = t.target_id`);
  await exec(ctx, `UPDATE authenticators a SET status = 'revoked' FROM revocation_tasks t
                    WHERE t.kind = 'remove_recovery_factor' AND ${done} AND a.id = t.target_id`);
  await exec(ctx, `UPDATE identities n SET owner_id = t.new_owner_id, updated_at = t.verified_at FROM revocation_tasks t
                    WHERE t.kind = 'transfer_nhi_ownership' AND t.state = 'verified' AND t.new_owner_id IS NOT NULL AND n.id = t.target_id`);
  await exec(ctx, `UPDATE credentials c SET owner_id = n.owner_id FROM identities n
                    WHERE c.holder_id = n.id AND n.kind <> 'human' AND c.owner_id IS DISTINCT FROM n.owner_id AND n.owner_id IS NOT NULL`);
  // Drift: the account that came back is active and was used after the case closed.
  await exec(ctx, `UPDATE accounts a SET status = 'active', last_login_at = ${ctx.NOW} - interval '2 days 3 hours'
                     FROM revocation_tasks t WHERE t.kind = 'disable_account' AND t.last_error LIKE 'Drift:%' AND a.id = t.target_id`);
}

async function closeCases(ctx: SeedCtx): Promise<void> {
  await exec(ctx, `
    UPDATE leaver_cases c SET tasks_total = t.total, tasks_verified = t.verified, tasks_failed = t.failed,
           privileged_outstanding = t.priv_out, bulk_outstanding = t.bulk_out
      FROM (SELECT case_id, count(*)::int AS total, count(*) FILTER (WHERE state = 'verified')::int AS verified,
                   count(*) FILTER (WHERE state = 'failed')::int AS failed,
                   count(*) FILTER (WHERE privileged AND state NOT IN ('verified', 'waived'))::int AS priv_out,
                   count(*) FILTER (WHERE bulk_data AND state NOT IN ('verified', 'waived'))::int AS bulk_out
              FROM revocation_tasks GROUP BY case_id) t
     WHERE t.case_id = c.id`);
  // Closed when the last task was verified; reopened when drift watch found a revocation undone.
  await exec(ctx, `
    UPDATE leaver_cases c
       SET closed_at = x.closed_at, closed_by_id = coalesce(c.assignee_id, ${ctx.ids.avery}),
           drift_watch_until = x.closed_at + interval '30 days',
           reopened_at = CASE WHEN c.status = 'reopened' THEN
                           CASE WHEN c.identity_id = ${ctx.ids.kofi} THEN ${ctx.NOW} - interval '2 days'
                                ELSE greatest(x.closed_at + interval '10 minutes', least(${ctx.NOW} - interval '1 hour',
                                       x.closed_at + date_trunc('second', (1 + 12 * ${u("c.id", 125)}) * interval '1 day'))) END END
      FROM (SELECT c.id, least(${ctx.NOW} - interval '30 minutes',
                               coalesce(max(t.verified_at), c.opened_at) + date_trunc('second', (5 + 55 * ${u("c.id", 126)}) * interval '1 minute')) AS closed_at
              FROM leaver_cases c LEFT JOIN revocation_tasks t ON t.case_id = c.id
             WHERE c.status IN ('closed', 'reopened') GROUP BY c.id) x
     WHERE x.id = c.id`);
  // The drift re-check happened when the case reopened.
  await exec(ctx, `UPDATE revocation_tasks t SET updated_at = c.reopened_at FROM leaver_cases c
                    WHERE c.id = t.case_id AND c.status = 'reopened' AND t.last_error LIKE 'Drift:%'`);
}
