import { SYSTEM_ACTOR } from "@/lib/authz";
import { makeCtx } from "@/lib/context";
import { generateTasks } from "@/lib/leavers/internal";
import { analyze, exec, rows, type SeedCtx, say } from "./context";
import { key2, u } from "./random";

/**
 * Revocation tasks: one per thing each leaver held, across every connected system (accounts, privileged
 * grants first, sessions, trusted devices, credentials they hold, recovery factors, ownership of their
 * non-human identities). States follow the case (open: pending; in progress: a mix with failures; closed:
 * verified), verified revocations are applied to the target rows, and the case counters are filled.
 */
const SEEDER = { ...SYSTEM_ACTOR, name: "seed" };

export async function seedRevocationTasks(ctx: SeedCtx): Promise<void> {
  const now = ctx.NOW;
  // The tasks themselves come from the app's own generator (lib/leavers/internal.ts generateTasks): the same items,
  // modes, assignees and priorities an HR import would create. The seed then plays their history.
  const cases = (await rows<{ id: number }>(ctx, "SELECT id FROM leaver_cases ORDER BY id")).map((c) => Number(c.id));
  let n = 0;
  for (let i = 0; i < cases.length; i += 20_000)
    n += await generateTasks(makeCtx(SEEDER, ctx.db, ctx.now), cases.slice(i, i + 20_000));
  say(ctx, `revocation tasks: ${n.toLocaleString("en-US")}`);
  await analyze(ctx, "remediation_tasks");
  const r = (salt: number) => u(key2("t.case_id", "t.target_id * 8 + t.k"), salt);
  await exec(
    ctx,
    `
    UPDATE remediation_tasks x SET
           state = z.new_state::remediation_state,
           attempts = CASE z.new_state WHEN 'pending' THEN 0 WHEN 'waived' THEN 0 WHEN 'failed' THEN 5 WHEN 'verified' THEN 1 + (z.ux < 0.1)::int ELSE 1 END,
           last_error = CASE WHEN z.new_state = 'failed' THEN CASE z.connector
                  WHEN 'scim' THEN 'Execute attempt 5 of 5: SCIM PATCH /Users/' || z.target_id || ': 503 Service Unavailable'
                  WHEN 'oauth' THEN 'Execute attempt 5 of 5: revocation endpoint timed out after 10000 ms; the token is assumed live (RFC 7009)'
                  ELSE 'Execute attempt 5 of 5: webhook delivery failed: 502 Bad Gateway' END END,
           executed_at = CASE WHEN z.new_state IN ('done', 'verified', 'failed') THEN z.exec_at END,
           verified_at = CASE WHEN z.new_state = 'verified' THEN z.verify_at END,
           verification = CASE WHEN z.new_state = 'verified' THEN CASE
                  WHEN z.mode = 'handover' THEN 'ownership re-read: owned by the new owner'
                  WHEN z.mode = 'manual' THEN CASE WHEN z.needs_second THEN 'manual: confirmed with evidence by two analysts' ELSE 'manual: confirmed with evidence' END
                  WHEN z.connector = 'scim' THEN 'scim re-read: ' || CASE WHEN z.action = 'disable_account' THEN 'user' ELSE 'access' END || ' inactive [simulated]'
                  WHEN z.connector = 'oauth' THEN 'oauth re-read: ' || CASE WHEN z.action = 'revoke_credential' THEN 'token' ELSE 'access' END || ' inactive [simulated]'
                  ELSE 'webhook re-read: revocation confirmed [simulated]' END END,
           evidence = CASE WHEN z.new_state = 'verified' AND z.mode = 'manual'
                THEN jsonb_build_object('ticket', 'RITM' || lpad((z.case_id * 100 + z.target_id % 100)::text, 7, '0'),
                                        'note', 'Screenshot of the disabled access attached to the ticket') END,
           confirmed_by_id = CASE WHEN z.new_state = 'verified' AND z.mode IN ('manual', 'handover') THEN coalesce(z.assignee_id, z.analyst) END,
           second_confirmed_by_id = CASE WHEN z.new_state = 'verified' AND z.mode = 'manual' AND z.needs_second THEN z.analyst END,
           waived_by_id = CASE WHEN z.new_state = 'waived' THEN ${ctx.ids.priya} END,
           waived_reason = CASE WHEN z.new_state = 'waived' THEN (ARRAY['Account already deleted by the vendor before the case opened',
                                                    'Device reported lost; remote wipe issued through the MDM separately',
                                                    'Mailbox session kept for legal hold (approved by Legal)'])[1 + (z.target_id % 3)::int] END,
           updated_at = coalesce(CASE WHEN z.new_state = 'verified' THEN z.verify_at END, CASE WHEN z.new_state IN ('done', 'failed') THEN z.exec_at END, z.opened_at),
           connector_kind = CASE WHEN z.mode = 'connector' AND z.new_state IN ('done', 'verified', 'failed') THEN z.connector
                                 WHEN z.mode = 'manual' AND z.new_state = 'verified' THEN 'manual' WHEN z.mode = 'handover' AND z.new_state = 'verified' THEN 'handover' END,
           simulated = z.mode = 'connector' AND z.new_state IN ('done', 'verified', 'failed') AND z.system_simulated,
           outcome = CASE WHEN z.new_state IN ('done', 'verified') THEN CASE WHEN z.ux > 0.96 AND z.mode = 'connector' THEN 'already_gone' ELSE 'done' END END,
           -- No retry or lease is left behind: no job exists for them (Execute on the case queues them again).
           not_before = NULL, lease_until = NULL,
           error_retryable = CASE WHEN z.new_state = 'failed' THEN true END
      FROM (
        SELECT t.*, c.opened_at, s.connector_kind::text AS connector, s.connector_simulated AS system_simulated,
               (t.privileged OR s.criticality IN ('high', 'critical')) AS needs_second,
               -- The two analysts: whoever has the case, and the other one for second confirmations.
               CASE WHEN coalesce(c.assignee_id, ${ctx.ids.avery}) = ${ctx.ids.avery} THEN ${ctx.ids.jordan} ELSE ${ctx.ids.avery} END AS analyst,
               ${r(121)} AS ux,
               CASE
                 WHEN c.status = 'open' THEN 'pending'
                 WHEN c.status IN ('closed', 'reopened') THEN
                   CASE WHEN ${r(120)} < 0.03 AND NOT t.privileged AND t.action IN ('end_sessions', 'remove_device_trust')
                             AND c.identity_id <> ${ctx.ids.ingrid} THEN 'waived' ELSE 'verified' END
                 WHEN t.priority <= 20 THEN
                   CASE WHEN ${r(120)} < 0.75 THEN 'verified' WHEN ${r(120)} < 0.85 AND t.mode = 'connector' THEN 'done'
                        WHEN ${r(120)} < 0.93 AND t.mode = 'connector' THEN 'failed' ELSE 'pending' END
                 ELSE
                   CASE WHEN ${r(120)} < 0.42 THEN 'verified' WHEN ${r(120)} < 0.57 AND t.mode = 'connector' THEN 'done'
                        WHEN ${r(120)} < 0.65 AND t.mode = 'connector' THEN 'failed'
                        WHEN ${r(120)} < 0.68 AND t.action IN ('end_sessions', 'remove_device_trust') THEN 'waived' ELSE 'pending' END
               END AS new_state,
               least(${now} - interval '3 minutes', greatest(c.effective_at, c.opened_at)
                 + date_trunc('second', ((t.priority / 10.0) * 5 + 30 * ${r(122)}) * interval '1 minute')
                 + CASE WHEN t.mode <> 'connector' THEN date_trunc('second', (2 + 40 * ${r(123)}) * interval '1 hour') ELSE interval '0' END) AS exec_at,
               least(${now} - interval '1 minute', greatest(c.effective_at, c.opened_at)
                 + date_trunc('second', ((t.priority / 10.0) * 5 + 30 * ${r(122)} + 1 + 9 * ${r(124)}) * interval '1 minute')
                 + CASE WHEN t.mode <> 'connector' THEN date_trunc('second', (3 + 40 * ${r(123)}) * interval '1 hour') ELSE interval '0' END) AS verify_at
          FROM (SELECT rt.*, CASE rt.action WHEN 'disable_account' THEN 1 WHEN 'remove_grant' THEN 2 WHEN 'end_sessions' THEN 3 WHEN 'remove_device_trust' THEN 4
                                          WHEN 'revoke_credential' THEN 5 WHEN 'remove_recovery_factor' THEN 6 ELSE 7 END AS k
                  FROM remediation_tasks rt) t
          JOIN leaver_cases c ON c.id = t.case_id
          JOIN systems s ON s.id = t.system_id
      ) z
     WHERE x.id = z.id`,
  );
  await storyTaskStates(ctx);
  await applyRevocations(ctx);
  await closeCases(ctx);
}

/** Chloe's case shows a failing Salesforce connector; Kofi's reopened case shows the drift that reopened it. */
async function storyTaskStates(ctx: SeedCtx): Promise<void> {
  await exec(
    ctx,
    `
    UPDATE remediation_tasks t SET state = 'failed', attempts = 5, verified_at = NULL, verification = NULL,
           executed_at = ${ctx.NOW} - interval '40 minutes', updated_at = ${ctx.NOW} - interval '40 minutes',
           -- As the engine leaves a task whose retries ran out (lib/remediation/record.ts): no next attempt.
           last_error = 'Execute attempt 5 of 5: Salesforce SCIM PATCH /Users: 503 Service Unavailable',
           error_retryable = true, not_before = NULL
      FROM leaver_cases c, systems s
     WHERE c.id = t.case_id AND c.identity_id = ${ctx.ids.chloe} AND s.id = t.system_id AND s.slug = 'salesforce'`,
  );
  await exec(
    ctx,
    `
    UPDATE remediation_tasks t SET state = 'verified', attempts = 1, executed_at = ${ctx.NOW} - interval '50 minutes',
           verified_at = ${ctx.NOW} - interval '48 minutes', updated_at = ${ctx.NOW} - interval '48 minutes',
           verification = 'introspection: active=false'
      FROM leaver_cases c, systems s
     WHERE c.id = t.case_id AND c.identity_id = ${ctx.ids.chloe} AND s.id = t.system_id AND s.slug <> 'salesforce'
       AND t.action IN ('revoke_credential', 'remove_grant')`,
  );
  // Drift: one disable_account per reopened case goes back to pending (Kofi's is Snowflake).
  await exec(
    ctx,
    `
    UPDATE remediation_tasks t SET state = 'pending', verified_at = NULL, verification = NULL, attempts = t.attempts + 1,
           last_error = 'Drift: re-verification found the account active again; re-run the revocation'
      FROM (
        SELECT DISTINCT ON (t.case_id) t.id
          FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id AND c.status = 'reopened' JOIN systems s ON s.id = t.system_id
         WHERE t.action = 'disable_account'
         ORDER BY t.case_id, (c.identity_id = ${ctx.ids.kofi} AND s.slug = 'snowflake') DESC, t.priority, t.id
      ) d
     WHERE t.id = d.id`,
  );
}

/** Verified (and executed) revocations are reflected on the rows they revoked. */
async function applyRevocations(ctx: SeedCtx): Promise<void> {
  const done = "t.state IN ('done', 'verified')";
  await exec(
    ctx,
    `UPDATE accounts a SET status = CASE WHEN s.deprovision_mode = 'delete' THEN 'deleted' ELSE 'disabled' END::account_status
                     FROM remediation_tasks t, systems s
                    WHERE t.action = 'disable_account' AND ${done} AND a.id = t.target_id AND s.id = a.system_id`,
  );
  await exec(
    ctx,
    `UPDATE grants g SET revoked_at = t.executed_at FROM remediation_tasks t
                    WHERE t.action = 'remove_grant' AND ${done} AND g.id = t.target_id`,
  );
  // Disabling an account ends its grants too (history kept), so closed cases leave no live access behind.
  await exec(
    ctx,
    `UPDATE grants g SET revoked_at = t.executed_at FROM remediation_tasks t
                    WHERE t.action = 'disable_account' AND ${done} AND g.account_id = t.target_id AND g.revoked_at IS NULL`,
  );
  // One end_sessions task covers every live session of the person on that system (target = the system).
  await exec(
    ctx,
    `UPDATE app_sessions x SET revoked_at = t.executed_at FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id
                    WHERE t.action = 'end_sessions' AND ${done} AND x.identity_id = c.identity_id AND x.system_id = t.system_id AND x.revoked_at IS NULL`,
  );
  await exec(
    ctx,
    `UPDATE trusted_devices d SET revoked_at = t.executed_at FROM remediation_tasks t
                    WHERE t.action = 'remove_device_trust' AND ${done} AND d.id = t.target_id`,
  );
  await exec(
    ctx,
    `UPDATE credentials c SET status = 'revoked', revoked_at = t.executed_at FROM remediation_tasks t
                    WHERE t.action = 'revoke_credential' AND ${done} AND c.id = t.target_id`,
  );
  await exec(
    ctx,
    `UPDATE authenticators a SET status = 'revoked' FROM remediation_tasks t
                    WHERE t.action = 'remove_recovery_factor' AND ${done} AND a.id = t.target_id`,
  );
  await exec(
    ctx,
    `UPDATE identities n SET owner_id = t.new_owner_id, updated_at = t.verified_at FROM remediation_tasks t
                    WHERE t.action = 'transfer_ownership' AND t.state = 'verified' AND t.new_owner_id IS NOT NULL AND n.id = t.target_id`,
  );
  await exec(
    ctx,
    `UPDATE credentials c SET owner_id = n.owner_id FROM identities n
                    WHERE c.holder_id = n.id AND n.kind <> 'human' AND c.owner_id IS DISTINCT FROM n.owner_id AND n.owner_id IS NOT NULL`,
  );
  // Drift: the account that came back is active and was used after the case closed.
  await exec(
    ctx,
    `UPDATE accounts a SET status = 'active', last_login_at = ${ctx.NOW} - interval '2 days 3 hours'
                     FROM remediation_tasks t WHERE t.action = 'disable_account' AND t.last_error LIKE 'Drift:%' AND a.id = t.target_id`,
  );
}

async function closeCases(ctx: SeedCtx): Promise<void> {
  // The case counters and queue rank are kept by the database as the tasks change (migration 0016).
  // Closed when the last task was verified; reopened when drift watch found a revocation undone.
  await exec(
    ctx,
    `
    UPDATE leaver_cases c
       SET closed_at = x.closed_at, closed_by_id = coalesce(c.assignee_id, ${ctx.ids.avery}),
           drift_watch_until = x.closed_at + interval '30 days',
           reopened_at = CASE WHEN c.status = 'reopened' THEN
                           CASE WHEN c.identity_id = ${ctx.ids.kofi} THEN ${ctx.NOW} - interval '2 days'
                                ELSE greatest(x.closed_at + interval '10 minutes', least(${ctx.NOW} - interval '1 hour',
                                       x.closed_at + date_trunc('second', (1 + 12 * ${u("c.id", 125)}) * interval '1 day'))) END END
      FROM (SELECT c.id, least(${ctx.NOW} - interval '30 minutes',
                               coalesce(max(t.verified_at), c.opened_at) + date_trunc('second', (5 + 55 * ${u("c.id", 126)}) * interval '1 minute')) AS closed_at
              FROM leaver_cases c LEFT JOIN remediation_tasks t ON t.case_id = c.id
             WHERE c.status IN ('closed', 'reopened') GROUP BY c.id) x
     WHERE x.id = c.id`,
  );
  // The drift re-check happened when the case reopened.
  await exec(
    ctx,
    `UPDATE remediation_tasks t SET updated_at = c.reopened_at FROM leaver_cases c
                    WHERE c.id = t.case_id AND c.status = 'reopened' AND t.last_error LIKE 'Drift:%'`,
  );
}
