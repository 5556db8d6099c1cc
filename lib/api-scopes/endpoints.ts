import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { queryRows } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { containsPattern } from "@/lib/sql-like";
import { credentialScope, parseArray } from "./queries";
import { type DataClass, endpointWeight } from "./rules";
import type { editEndpointInput } from "./schemas";

export type EndpointRow = {
  id: number;
  method: string;
  path: string;
  scope: string;
  bulk: boolean;
  maxRecordsPerCall: number | null;
  dataClasses: DataClass[];
  description: string | null;
  weight: number;
  /** Live credentials (in the actor's scope) whose scopes reach it, and how many of those are orphaned. */
  reach: number;
  orphanedReach: number;
};

const scoped = async (ctx: Ctx): Promise<SQL> => {
  const s = await credentialScope(ctx);
  return s ? sql`AND ${s}` : sql``;
};

/** Systems that publish endpoints, with how many live credentials reach their bulk endpoints. */
export async function listApiSystems(ctx: Ctx) {
  authorize(ctx.actor, "api_scopes.read");
  const scope = await scoped(ctx);
  const rows = await queryRows<{
    id: number;
    name: string;
    category: string;
    endpoints: number;
    bulk: number;
    bulkReach: number;
  }>(
    ctx.db,
    sql`
    SELECT s.id, s.name, s.category::text AS category, count(e.id)::int AS endpoints, (count(e.id) FILTER (WHERE e.bulk))::int AS bulk,
           (SELECT count(*)::int FROM credential_risk cr WHERE cr.live AND cr.issuer_system_id = s.id AND cr.reach_bulk > 0 ${scope}) AS "bulkReach"
      FROM systems s JOIN api_endpoints e ON e.system_id = s.id
     GROUP BY s.id ORDER BY "bulkReach" DESC, s.name`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** One system's endpoints, bulk ones first, then by how many live credentials can call them. */
export async function listEndpoints(
  ctx: Ctx,
  systemId: number,
): Promise<{ system: { id: number; name: string; description: string | null }; endpoints: EndpointRow[] }> {
  authorize(ctx.actor, "api_scopes.read");
  const scope = await scoped(ctx);
  const [system] = await queryRows<{ id: number; name: string; description: string | null }>(
    ctx.db,
    sql`SELECT id, name, description FROM systems WHERE id = ${systemId}`,
  );
  if (!system) throw new NotFound("That system");
  const rows = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`
    SELECT e.id, e.method::text AS method, e.path, e.scope, e.bulk, e.max_records_per_call, e.data_classes::text[] AS data_classes, e.description,
           r.reach, r.orphaned_reach
      FROM api_endpoints e
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS reach, (count(*) FILTER (WHERE cr.orphaned))::int AS orphaned_reach
          FROM credential_risk cr JOIN credentials c ON c.id = cr.credential_id
         WHERE cr.live AND cr.issuer_system_id = e.system_id AND e.scope = ANY(c.scopes) ${scope}
      ) r
     WHERE e.system_id = ${systemId}
     ORDER BY e.bulk DESC, r.reach DESC, e.max_records_per_call DESC NULLS LAST, e.path, e.method`,
  );
  return { system: { ...system, id: Number(system.id) }, endpoints: rows.map(toEndpoint) };
}

/** Bulk endpoints returning personal data, across systems, by how many live credentials reach them. */
export async function topBulkPiiEndpoints(
  ctx: Ctx,
  limit = 6,
): Promise<(EndpointRow & { systemId: number; system: string })[]> {
  authorize(ctx.actor, "api_scopes.read");
  const scope = await scoped(ctx);
  const rows = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`
    SELECT e.id, e.method::text AS method, e.path, e.scope, e.bulk, e.max_records_per_call, e.data_classes::text[] AS data_classes, e.description,
           s.id AS system_id, s.name AS system, r.reach, r.orphaned_reach
      FROM api_endpoints e JOIN systems s ON s.id = e.system_id
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS reach, (count(*) FILTER (WHERE cr.orphaned))::int AS orphaned_reach
          FROM credential_risk cr JOIN credentials c ON c.id = cr.credential_id
         WHERE cr.live AND cr.issuer_system_id = e.system_id AND e.scope = ANY(c.scopes) ${scope}
      ) r
     WHERE e.bulk AND 'pii' = ANY(e.data_classes) AND r.reach > 0
     ORDER BY r.orphaned_reach DESC, r.reach DESC, e.max_records_per_call DESC NULLS LAST LIMIT ${limit}`,
  );
  return rows.map((r) => ({ ...toEndpoint(r), systemId: Number(r.system_id), system: String(r.system) }));
}

function toEndpoint(r: Record<string, unknown>): EndpointRow {
  const dataClasses = parseArray(r.data_classes) as DataClass[];
  const maxRecordsPerCall = r.max_records_per_call === null ? null : Number(r.max_records_per_call);
  const bulk = Boolean(r.bulk);
  return {
    id: Number(r.id),
    method: String(r.method),
    path: String(r.path),
    scope: String(r.scope),
    bulk,
    maxRecordsPerCall,
    dataClasses,
    description: (r.description as string) ?? null,
    weight: endpointWeight({ bulk, maxRecordsPerCall, dataClasses }),
    reach: Number(r.reach),
    orphanedReach: Number(r.orphaned_reach),
  };
}

/** Corrects what an import guessed (bulk, records per call, data classes); credentials' blast radius follows. */
export async function editEndpoint(ctx: Ctx, input: z.output<typeof editEndpointInput>) {
  authorize(ctx.actor, "api_scopes.manage");
  return transact(ctx, async (tx) => {
    const [before] = await queryRows<Record<string, unknown>>(
      tx.db,
      sql`
      SELECT e.id, e.method::text AS method, e.path, e.bulk, e.max_records_per_call, e.data_classes::text[] AS data_classes, s.name AS system, s.slug
        FROM api_endpoints e JOIN systems s ON s.id = e.system_id WHERE e.id = ${input.endpointId} FOR UPDATE OF e`,
    );
    if (!before) throw new NotFound("That endpoint");
    const maxRecords = input.bulk ? input.maxRecordsPerCall : null;
    const classes = [...new Set(input.dataClasses)];
    await tx.db.execute(sql`
      UPDATE api_endpoints SET bulk = ${input.bulk}, max_records_per_call = ${maxRecords}, data_classes = ${`{${classes.join(",")}}`}::data_class[]
       WHERE id = ${input.endpointId}`);
    const label = `${before.method} ${before.path} (${before.system})`;
    await writeAudit(tx, {
      action: "api_scope.edit_endpoint",
      target: { type: "api_endpoint", id: input.endpointId, label },
      before: {
        bulk: before.bulk,
        maxRecordsPerCall: before.max_records_per_call,
        dataClasses: parseArray(before.data_classes),
      },
      after: { bulk: input.bulk, maxRecordsPerCall: maxRecords, dataClasses: classes },
      metadata: { system: before.slug },
    });
    return {
      endpointId: input.endpointId,
      weight: endpointWeight({ bulk: input.bulk, maxRecordsPerCall: maxRecords, dataClasses: classes }),
    };
  });
}

/** Active people to name as an owner (by name or email). */
export async function searchOwners(ctx: Ctx, q: string) {
  authorize(ctx.actor, "api_scopes.manage");
  const like = containsPattern(q);
  return queryRows<{ id: number; name: string; email: string | null; title: string | null }>(
    ctx.db,
    sql`
    SELECT id, display_name AS name, email, title FROM identities
     WHERE kind = 'human' AND status = 'active' AND (lower(display_name) LIKE ${like} OR lower(coalesce(email, '')) LIKE ${like})
     ORDER BY lower(display_name), id LIMIT 10`,
  );
}
