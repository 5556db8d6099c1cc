import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { intArray } from "@/db/sql";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { storeImportedHandles } from "@/lib/connectors/handles";
import type { Ctx } from "@/lib/context";
import type { RunInfo } from "@/lib/imports/types";
import type { CredentialsImportResult } from "./kind";

/**
 * Upserts a credential file's ok rows by (issuer, id at the issuer) in one statement. An empty owner or created
 * cell keeps what Lockstep has (validate filled it in: an owner assigned in Lockstep is not taken away); last use
 * only moves forward. The risk rollup's per-statement triggers are held off meanwhile and the written credentials are
 * refreshed once with the rollup's own function (`refresh_credential_risk`, migrations 0005/0009), so the
 * inventory shows them with their findings in the same transaction. One `credential.import` audit event.
 */
export async function applyCredentials(ctx: Ctx, run: RunInfo) {
  const [{ previous }] = await queryRows(
    ctx.db,
    sql`SELECT coalesce(current_setting('lockstep.defer_credential_risk', true), '') AS previous`,
    z.object({ previous: col.text }),
  );
  await ctx.db.execute(sql`SELECT set_config('lockstep.defer_credential_risk', 'on', true)`);
  const now = sql`${ctx.now.toISOString()}::timestamptz`;
  const written = await queryRows(
    ctx.db,
    sql`
    INSERT INTO credentials (kind, name, issuer_system_id, holder_id, owner_id, external_ref, scopes, status,
                             created_at, last_used_at, expires_at, revoked_at)
    SELECT (d->>'kind')::credential_kind, d->>'name', (d->>'systemId')::int, (d->>'holderId')::int, (d->>'ownerId')::int,
           d->>'externalId', ARRAY(SELECT jsonb_array_elements_text(d->'scopes')), (d->>'status')::credential_status,
           coalesce((d->>'createdAt')::timestamptz, ${now}), (d->>'lastUsedAt')::timestamptz, (d->>'expiresAt')::timestamptz,
           CASE WHEN d->>'status' = 'revoked' THEN ${now} END
      FROM (SELECT r.data AS d FROM import_rows r WHERE r.run_id = ${run.id} AND r.status = 'ok' ORDER BY r.seq) x
    ON CONFLICT (issuer_system_id, external_ref) DO UPDATE SET
       kind = excluded.kind, name = excluded.name, holder_id = excluded.holder_id,
       owner_id = excluded.owner_id, scopes = excluded.scopes, status = excluded.status,
       created_at = excluded.created_at,
       last_used_at = greatest(credentials.last_used_at, excluded.last_used_at), expires_at = excluded.expires_at,
       revoked_at = CASE WHEN excluded.status = 'revoked' THEN coalesce(credentials.revoked_at, excluded.revoked_at) END
    RETURNING id, issuer_system_id, external_ref, (xmax = 0) AS inserted`,
    z.object({ id: col.int, issuer_system_id: col.int, external_ref: col.text, inserted: col.bool }),
  );
  const handles = await applyHandles(ctx, run, written);
  await ctx.db.execute(sql`SELECT set_config('lockstep.defer_credential_risk', ${previous}, true)`);
  await ctx.db.execute(sql`SELECT refresh_credential_risk(${intArray(written.map((w) => w.id))})`);
  const result: CredentialsImportResult = {
    created: written.filter((w) => w.inserted).length,
    updated: written.filter((w) => !w.inserted).length,
    handles,
  };
  await writeAudit(ctx, {
    action: "credential.import",
    target: { type: "import_run", id: run.id, label: `Credentials: ${run.fileName ?? "file"}` },
    after: result,
    metadata: { fileName: run.fileName, digest: run.fileDigest, params: run.params },
  });
  return { applied: written.length, result };
}

const importedHandle = z.object({
  kind: z.enum(["token", "registration"]),
  hint: col.textOrNull,
  sealed: col.text,
  keyId: col.text,
});

/**
 * The rows' revocation handles (validate let only an administrator's through), opened from their import binding and
 * sealed again to their credentials, in the apply's transaction. The run's rows then keep only which kind was
 * registered, so no secret outlives the import even sealed.
 */
async function applyHandles(
  ctx: Ctx,
  run: RunInfo,
  written: { id: number; issuer_system_id: number; external_ref: string }[],
) {
  const rows = await queryRows(
    ctx.db,
    sql`SELECT (data->>'systemId')::int AS system_id, data->>'externalId' AS key, data->'handle' AS handle
          FROM import_rows WHERE run_id = ${run.id} AND status = 'ok' AND data ? 'handle' ORDER BY seq`,
    z.object({ system_id: col.int, key: col.text, handle: col.json(importedHandle) }),
  );
  if (rows.length === 0) return 0;
  // Validate let only an administrator's handles through; whoever confirms must be one too.
  authorize(ctx.actor, "api_scopes.handles");
  const idOf = new Map(written.map((w) => [`${w.issuer_system_id}\u0000${w.external_ref}`, w.id]));
  const items = rows.flatMap((r) => {
    const credentialId = idOf.get(`${r.system_id}\u0000${r.key}`);
    return credentialId ? [{ credentialId, key: r.key, handle: r.handle }] : [];
  });
  await storeImportedHandles(ctx.db, run.id, items);
  await ctx.db.execute(sql`
    UPDATE import_rows SET data = (data - 'handle') || jsonb_build_object('handleRegistered', data->'handle'->>'kind')
     WHERE run_id = ${run.id} AND data ? 'handle'`);
  return items.length;
}
