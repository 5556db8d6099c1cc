import "server-only";
import { eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { apiEndpoints, systems } from "@/db/schema";
import { dataClass } from "@/db/schema/enums";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { searchEligiblePeople } from "@/lib/people/eligible";
import { credentialScope } from "./queries";
import { type DataClass, endpointWeight } from "./rules";
import type { editEndpointInput } from "./schemas";

export type EndpointRow = {
  id: number;
  method: string;
  path: string;
  scope: string;
  /** Alternatives of scopes all required together (see rules.ts `reaches`). */
  scopeSets: string[][];
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
  return queryRows(
    ctx.db,
    sql`
    SELECT s.id, s.name, s.category::text AS category, count(e.id)::int AS endpoints, (count(e.id) FILTER (WHERE e.bulk))::int AS bulk,
           (SELECT count(*)::int FROM credential_risk cr WHERE cr.live AND cr.issuer_system_id = s.id AND cr.reach_bulk > 0 ${scope}) AS "bulkReach"
      FROM systems s JOIN api_endpoints e ON e.system_id = s.id
     GROUP BY s.id ORDER BY "bulkReach" DESC, s.name`,
    z.object({
      id: col.int,
      name: col.text,
      category: col.text,
      endpoints: col.int,
      bulk: col.int,
      bulkReach: col.int,
    }),
  );
}

/** One system's endpoints, bulk ones first, then by how many live credentials can call them. */
export async function listEndpoints(
  ctx: Ctx,
  systemId: number,
): Promise<{ system: { id: number; name: string; description: string | null }; endpoints: EndpointRow[] }> {
  authorize(ctx.actor, "api_scopes.read");
  const scope = await scoped(ctx);
  const [system] = await ctx.db
    .select({ id: systems.id, name: systems.name, description: systems.description })
    .from(systems)
    .where(eq(systems.id, systemId));
  if (!system) throw new NotFound("That system");
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT e.id, e.method::text AS method, e.path, e.scope, e.scope_sets, e.bulk, e.max_records_per_call, e.data_classes::text[] AS data_classes, e.description,
           r.reach, r.orphaned_reach
      FROM api_endpoints e
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS reach, (count(*) FILTER (WHERE cr.orphaned))::int AS orphaned_reach
          FROM credential_risk cr JOIN credentials c ON c.id = cr.credential_id
         WHERE cr.live AND cr.issuer_system_id = e.system_id AND api_endpoint_reached(e.scope_sets, c.scopes) ${scope}
      ) r
     WHERE e.system_id = ${systemId}
     ORDER BY e.bulk DESC, r.reach DESC, e.max_records_per_call DESC NULLS LAST, e.path, e.method`,
    endpointRow,
  );
  return { system, endpoints: rows.map(toEndpoint) };
}

/** Bulk endpoints returning personal data, across systems, by how many live credentials reach them. */
export async function topBulkPiiEndpoints(
  ctx: Ctx,
  limit = 6,
): Promise<(EndpointRow & { systemId: number; system: string })[]> {
  authorize(ctx.actor, "api_scopes.read");
  const scope = await scoped(ctx);
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT e.id, e.method::text AS method, e.path, e.scope, e.scope_sets, e.bulk, e.max_records_per_call, e.data_classes::text[] AS data_classes, e.description,
           s.id AS system_id, s.name AS system, r.reach, r.orphaned_reach
      FROM api_endpoints e JOIN systems s ON s.id = e.system_id
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS reach, (count(*) FILTER (WHERE cr.orphaned))::int AS orphaned_reach
          FROM credential_risk cr JOIN credentials c ON c.id = cr.credential_id
         WHERE cr.live AND cr.issuer_system_id = e.system_id AND api_endpoint_reached(e.scope_sets, c.scopes) ${scope}
      ) r
     WHERE e.bulk AND 'pii' = ANY(e.data_classes) AND r.reach > 0
     ORDER BY r.orphaned_reach DESC, r.reach DESC, e.max_records_per_call DESC NULLS LAST LIMIT ${limit}`,
    endpointRow.extend({ system_id: col.int, system: col.text }),
  );
  return rows.map((r) => ({ ...toEndpoint(r), systemId: r.system_id, system: r.system }));
}

const endpointRow = z.object({
  id: col.int,
  method: col.text,
  path: col.text,
  scope: col.text,
  scope_sets: col.json(z.array(z.array(z.string()))),
  bulk: col.bool,
  max_records_per_call: col.intOrNull,
  data_classes: col.array(z.enum(dataClass.enumValues)),
  description: col.textOrNull,
  reach: col.int,
  orphaned_reach: col.int,
});

function toEndpoint(r: z.output<typeof endpointRow>): EndpointRow {
  const { bulk, max_records_per_call: maxRecordsPerCall, data_classes: dataClasses } = r;
  return {
    id: r.id,
    method: r.method,
    path: r.path,
    scope: r.scope,
    scopeSets: r.scope_sets,
    bulk,
    maxRecordsPerCall,
    dataClasses,
    description: r.description,
    weight: endpointWeight({ bulk, maxRecordsPerCall, dataClasses }),
    reach: r.reach,
    orphanedReach: r.orphaned_reach,
  };
}

/** Corrects what an import guessed (bulk, records per call, data classes); credentials' blast radius follows. */
export async function editEndpoint(ctx: Ctx, input: z.output<typeof editEndpointInput>) {
  authorize(ctx.actor, "api_scopes.manage");
  return transact(ctx, async (tx) => {
    const [before] = await tx.db
      .select({
        method: apiEndpoints.method,
        path: apiEndpoints.path,
        bulk: apiEndpoints.bulk,
        maxRecordsPerCall: apiEndpoints.maxRecordsPerCall,
        dataClasses: apiEndpoints.dataClasses,
        system: systems.name,
        slug: systems.slug,
      })
      .from(apiEndpoints)
      .innerJoin(systems, eq(systems.id, apiEndpoints.systemId))
      .where(eq(apiEndpoints.id, input.endpointId))
      .for("update", { of: apiEndpoints });
    if (!before) throw new NotFound("That endpoint");
    const maxRecords = input.bulk ? input.maxRecordsPerCall : null;
    const classes = [...new Set(input.dataClasses)];
    await tx.db
      .update(apiEndpoints)
      .set({ bulk: input.bulk, maxRecordsPerCall: maxRecords, dataClasses: classes })
      .where(eq(apiEndpoints.id, input.endpointId));
    const label = `${before.method} ${before.path} (${before.system})`;
    await writeAudit(tx, {
      action: "api_scope.edit_endpoint",
      target: { type: "api_endpoint", id: input.endpointId, label },
      before: {
        bulk: before.bulk,
        maxRecordsPerCall: before.maxRecordsPerCall,
        dataClasses: before.dataClasses,
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
  const people = await searchEligiblePeople(ctx.db, q, { byEmail: true, limit: 10 });
  return people.map((p) => ({ id: p.id, name: p.name, email: p.email, title: p.title }));
}
