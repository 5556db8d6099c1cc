import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { writeAudit } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import type { RunInfo } from "@/lib/imports/types";
import type { AccountsImportResult, AccountsState } from "./accounts-kind";

const count = z.object({ n: col.int });
const one = async (ctx: Ctx, q: SQL) => (await queryRows(ctx.db, q, count))[0].n;

/**
 * Writes an account file's ok rows in a fixed number of set-based statements, whatever its size: accounts
 * (created, or their status and id updated), entitlements (new names; a privileged flag only ever raises one),
 * grants (new ones). With `endMissing`: accounts of the system the file does not list become `deleted`, and live
 * grants of the system that no row lists are revoked — never those of an account whose row had an error.
 * One `account.import` audit event; each row's outcome stays in the run's rows.
 */
export async function applyAccounts(
  ctx: Ctx,
  run: RunInfo,
  state: AccountsState,
  endMissing: boolean,
): Promise<{ applied: number; result: AccountsImportResult }> {
  const systemId = state.system.id;
  const now = sql`${ctx.now.toISOString()}::timestamptz`;
  const ok = sql`import_rows r WHERE r.run_id = ${run.id} AND r.status = 'ok'`;
  const okEntitlements = sql`import_rows r CROSS JOIN LATERAL jsonb_array_elements_text(r.data->'entitlements') AS x(name)
                             WHERE r.run_id = ${run.id} AND r.status = 'ok'`;
  const [accounts] = await queryRows(
    ctx.db,
    sql`
    WITH src AS (
      SELECT DISTINCT ON (lower(r.data->>'login')) r.data->>'login' AS login, r.target_id::int AS identity_id,
             r.data->>'externalId' AS external_id, r.data->>'status' AS status
        FROM ${ok} ORDER BY lower(r.data->>'login'), r.seq),
    w AS (
      INSERT INTO accounts (system_id, identity_id, username, external_id, status, created_at)
      SELECT ${systemId}, identity_id, login, external_id, status::account_status, ${now} FROM src
      ON CONFLICT (system_id, lower(username)) DO UPDATE
         SET status = excluded.status, external_id = coalesce(excluded.external_id, accounts.external_id)
       WHERE (accounts.status, accounts.external_id)
             IS DISTINCT FROM (excluded.status, coalesce(excluded.external_id, accounts.external_id))
      RETURNING (xmax = 0) AS inserted)
    SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM w`,
    z.object({ created: col.int, updated: col.int }),
  );
  const entitlementsAdded = await one(
    ctx,
    sql`
    WITH e AS (SELECT x.name, bool_or((r.data->>'privileged')::boolean) AS privileged FROM ${okEntitlements} GROUP BY x.name),
    w AS (
      INSERT INTO entitlements (system_id, name, privileged)
      SELECT ${systemId}, name, coalesce(privileged, false) FROM e
      ON CONFLICT (system_id, name) DO UPDATE SET privileged = true
       WHERE excluded.privileged AND NOT entitlements.privileged
      RETURNING (xmax = 0) AS inserted)
    SELECT count(*) FILTER (WHERE inserted)::int AS n FROM w`,
  );
  const grantsAdded = await one(
    ctx,
    sql`
    WITH g AS (
      SELECT DISTINCT a.id AS account_id, en.id AS entitlement_id
        FROM import_rows r CROSS JOIN LATERAL jsonb_array_elements_text(r.data->'entitlements') AS x(name)
        JOIN accounts a ON a.system_id = ${systemId} AND lower(a.username) = lower(r.data->>'login')
        JOIN entitlements en ON en.system_id = ${systemId} AND en.name = x.name
       WHERE r.run_id = ${run.id} AND r.status = 'ok'),
    w AS (
      -- Read off the system's export, not granted through Lockstep: 'discovered', as reconciliation records them.
      INSERT INTO grants (account_id, entitlement_id, source, granted_at)
      SELECT account_id, entitlement_id, 'discovered'::grant_source, ${now} FROM g
      ON CONFLICT (account_id, entitlement_id) WHERE revoked_at IS NULL DO NOTHING
      RETURNING 1)
    SELECT count(*)::int AS n FROM w`,
  );
  let accountsEnded = 0;
  let grantsEnded = 0;
  if (endMissing) {
    grantsEnded = await one(
      ctx,
      sql`
      WITH gone AS (
        UPDATE grants g SET revoked_at = ${now}
          FROM accounts a, entitlements en
         WHERE g.account_id = a.id AND a.system_id = ${systemId} AND en.id = g.entitlement_id AND g.revoked_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.run_id = ${run.id} AND r.status = 'error'
                            AND lower(r.key) = lower(a.username))
           AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.run_id = ${run.id} AND r.status <> 'error'
                            AND lower(r.key) = lower(a.username) AND r.data->'entitlements' ? en.name)
        RETURNING 1)
      SELECT count(*)::int AS n FROM gone`,
    );
    accountsEnded = await one(
      ctx,
      sql`
      WITH gone AS (
        UPDATE accounts a SET status = 'deleted'
         WHERE a.system_id = ${systemId} AND a.status <> 'deleted'
           AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.run_id = ${run.id} AND lower(r.key) = lower(a.username))
        RETURNING 1)
      SELECT count(*)::int AS n FROM gone`,
    );
  }
  const result: AccountsImportResult = {
    accountsCreated: accounts.created,
    accountsUpdated: accounts.updated,
    entitlementsAdded,
    grantsAdded,
    accountsEnded,
    grantsEnded,
  };
  await writeAudit(ctx, {
    action: "account.import",
    target: { type: "system", id: systemId, label: state.system.name },
    after: result,
    metadata: { importRun: run.id, fileName: run.fileName, digest: run.fileDigest, endMissing },
  });
  return { applied: run.rowsOk, result };
}
