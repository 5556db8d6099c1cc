import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { identities, systems } from "@/db/schema";
import { connectorKind, systemCategory } from "@/db/schema/enums";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { text } from "@/lib/input";
import { keysetCondition, keysetOrder, type Page, pageParams, toPage } from "@/lib/pagination";
import { searchEligiblePeople } from "@/lib/people/eligible";

export const systemsListInput = z
  .object({
    category: z.enum(systemCategory.enumValues).optional().catch(undefined),
    connector: z.enum(connectorKind.enumValues).optional().catch(undefined),
  })
  .merge(pageParams.extend({ limit: z.coerce.number().int().min(1).max(500).default(100) }));
export type SystemsListInput = z.infer<typeof systemsListInput>;

const owner = alias(identities, "owner");
const keys = [sql`lower(${systems.name})`, sql`${systems.id}`];

/** Connected systems with their connector and what Lockstep governs on each (counts aggregated in SQL). */
export async function listSystems(ctx: Ctx, input: SystemsListInput) {
  authorize(ctx.actor, "systems.read");
  const rows = await ctx.db
    .select({
      id: systems.id,
      name: systems.name,
      slug: systems.slug,
      category: systems.category,
      criticality: systems.criticality,
      connectorKind: systems.connectorKind,
      simulated: systems.connectorSimulated,
      deprovisionMode: systems.deprovisionMode,
      owner: owner.displayName,
      ownerId: owner.id,
      nameKey: sql<string>`lower(${systems.name})`,
      accountsActive: sql<number>`(SELECT count(*) FROM accounts a WHERE a.system_id = ${systems.id} AND a.status = 'active')::int`,
      accountsTotal: sql<number>`(SELECT count(*) FROM accounts a WHERE a.system_id = ${systems.id})::int`,
      credentialsActive: sql<number>`(SELECT count(*) FROM credentials c WHERE c.issuer_system_id = ${systems.id} AND c.status = 'active')::int`,
      privilegedEntitlements: sql<number>`(SELECT count(*) FROM entitlements e WHERE e.system_id = ${systems.id} AND e.privileged)::int`,
      bulkEndpoints: sql<number>`(SELECT count(*) FROM api_endpoints e WHERE e.system_id = ${systems.id} AND e.bulk)::int`,
    })
    .from(systems)
    .leftJoin(owner, eq(owner.id, systems.ownerId))
    .where(
      and(
        input.category ? eq(systems.category, input.category) : undefined,
        input.connector ? eq(systems.connectorKind, input.connector) : undefined,
        keysetCondition(input, keys, ["text", "int"], "asc"),
      ),
    )
    .orderBy(keysetOrder(input, keys, "asc"))
    .limit(input.limit + 1);
  return toPage(rows, input, (r) => [r.nameKey, r.id]);
}

export type SystemRow = Awaited<ReturnType<typeof listSystems>> extends Page<infer T> ? T : never;

/** Totals across every system for the page header (not just the current page). */
export async function systemTotals(ctx: Ctx) {
  authorize(ctx.actor, "systems.read");
  const [row] = await ctx.db
    .select({
      systems: sql<number>`count(*)::int`,
      simulated: sql<number>`(count(*) FILTER (WHERE ${systems.connectorSimulated}))::int`,
      manual: sql<number>`(count(*) FILTER (WHERE ${systems.connectorKind} = 'manual'))::int`,
    })
    .from(systems);
  return row;
}

/** One system's settings as the edit form shows them (`lock`: for update, inside a write's transaction). */
export async function loadSystemSettings(ctx: Ctx, systemId: number, opts: { lock?: boolean } = {}) {
  authorize(ctx.actor, "systems.manage");
  const q = ctx.db
    .select({
      id: systems.id,
      slug: systems.slug,
      name: systems.name,
      category: systems.category,
      criticality: systems.criticality,
      ownerId: systems.ownerId,
      ownerName: owner.displayName,
      description: systems.description,
      connectorKind: systems.connectorKind,
      connectorConfig: systems.connectorConfig,
      connectorSimulated: systems.connectorSimulated,
      deprovisionMode: systems.deprovisionMode,
      maxConcurrency: systems.maxConcurrency,
    })
    .from(systems)
    .leftJoin(owner, eq(owner.id, systems.ownerId))
    .where(eq(systems.id, systemId));
  const [row] = opts.lock ? await q.for("update", { of: systems }) : await q;
  return row ?? null;
}

export const ownerSearchInput = z.object({ q: text(100).pipe(z.string().min(2, "Type two letters or more.")) });

/** Who may own a system: active people, by name or email. */
export async function searchSystemOwners(ctx: Ctx, q: string) {
  authorize(ctx.actor, "systems.manage");
  return searchEligiblePeople(ctx.db, q, { byEmail: true, limit: 10 });
}
