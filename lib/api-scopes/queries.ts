import { and, eq, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { credentialKind } from "@/db/schema/enums";
import { credentials, identities, systems } from "@/db/schema";
import { authorize, inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { keysetCondition, keysetOrder, type Page, pageParams, toPage } from "@/lib/pagination";

export const credentialListInput = z
  .object({
    kind: z.enum(credentialKind.enumValues).optional().catch(undefined),
    system: z.coerce.number().int().positive().optional().catch(undefined),
    finding: z.enum(["orphaned", "stale_bulk"]).optional().catch(undefined),
  })
  .merge(pageParams);
export type CredentialListInput = z.infer<typeof credentialListInput>;

const holder = alias(identities, "holder");
const owner = alias(identities, "owner");
const keys = [sql`${credentials.id}`];
const reachesBulk = sql<boolean>`EXISTS (SELECT 1 FROM api_endpoints e WHERE e.system_id = ${credentials.issuerSystemId} AND e.bulk AND e.scope = ANY(${credentials.scopes}))`;

/** Active credentials with holder, owner and bulk reach; managers see what their team owns. */
export async function listCredentials(ctx: Ctx, input: CredentialListInput) {
  authorize(ctx.actor, "api_scopes.read");
  const team = inTeam(ctx.actor, credentials.ownerId);
  const staleBefore = new Date(ctx.now.getTime() - 90 * 86_400_000).toISOString();
  const rows = await ctx.db
    .select({
      id: credentials.id,
      name: credentials.name,
      kind: credentials.kind,
      system: systems.name,
      scopes: credentials.scopes,
      holderId: holder.id,
      holder: holder.displayName,
      holderKind: holder.kind,
      ownerId: owner.id,
      owner: owner.displayName,
      ownerStatus: owner.status,
      lastUsedAt: credentials.lastUsedAt,
      expiresAt: credentials.expiresAt,
      lastRotatedAt: credentials.lastRotatedAt,
      createdAt: credentials.createdAt,
      bulkReach: reachesBulk,
    })
    .from(credentials)
    .innerJoin(systems, eq(systems.id, credentials.issuerSystemId))
    .innerJoin(holder, eq(holder.id, credentials.holderId))
    .leftJoin(owner, eq(owner.id, credentials.ownerId))
    .where(
      and(
        eq(credentials.status, "active"),
        team ? or(team, inTeam(ctx.actor, credentials.holderId)) : undefined,
        input.kind ? eq(credentials.kind, input.kind) : undefined,
        input.system ? eq(credentials.issuerSystemId, input.system) : undefined,
        input.finding === "orphaned" ? sql`(${owner.id} IS NULL OR ${owner.status} <> 'active')` : undefined,
        input.finding === "stale_bulk"
          ? sql`(${credentials.lastUsedAt} IS NULL OR ${credentials.lastUsedAt} < ${staleBefore}::timestamptz) AND ${reachesBulk}`
          : undefined,
        keysetCondition(input, keys, ["int"], "asc"),
      ),
    )
    .orderBy(keysetOrder(input, keys, "asc"))
    .limit(input.limit + 1);
  return toPage(rows, input, (r) => [r.id]);
}

export type CredentialRow = Awaited<ReturnType<typeof listCredentials>> extends Page<infer T> ? T : never;
