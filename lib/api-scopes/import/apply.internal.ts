import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { intArray } from "@/db/sql";
import { writeAudit } from "@/lib/audit";
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
    RETURNING id, (xmax = 0) AS inserted`,
    z.object({ id: col.int, inserted: col.bool }),
  );
  await ctx.db.execute(sql`SELECT set_config('lockstep.defer_credential_risk', ${previous}, true)`);
  await ctx.db.execute(sql`SELECT refresh_credential_risk(${intArray(written.map((w) => w.id))})`);
  const result: CredentialsImportResult = {
    created: written.filter((w) => w.inserted).length,
    updated: written.filter((w) => !w.inserted).length,
  };
  await writeAudit(ctx, {
    action: "credential.import",
    target: { type: "import_run", id: run.id, label: `Credentials: ${run.fileName ?? "file"}` },
    after: result,
    metadata: { fileName: run.fileName, digest: run.fileDigest, params: run.params },
  });
  return { applied: written.length, result };
}
