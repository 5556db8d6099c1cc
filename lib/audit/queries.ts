import "server-only";
import { and, type SQL, sql } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { keysetCondition, keysetOrder, type Page, toPage } from "@/lib/pagination";
import { containsPattern, escapeLike } from "@/lib/sql-like";
import type { ChainedEvent } from "./chain";
import type { AuditFilters, AuditListInput } from "./schemas";

/** A stored event: the hashed fields plus where it sits in the chain. */
export type AuditRow = ChainedEvent & { id: number; prevHash: string; hash: string };

/**
 * Filters: actor (name contains), action (exact `area.verb`, or `area.` prefix), target ("type:id" or
 * a label fragment), and a date range interpreted in the viewer's time zone.
 */
function auditWhere(f: AuditFilters, tz = "UTC"): SQL | undefined {
  const target = f.target?.match(/^([a-z_]+):(.+)$/);
  return and(
    f.actor ? sql`lower(${auditEvents.actorLabel}) LIKE ${containsPattern(f.actor)}` : undefined,
    f.action
      ? f.action.endsWith(".")
        ? sql`${auditEvents.action} LIKE ${`${escapeLike(f.action)}%`}`
        : sql`${auditEvents.action} = ${f.action}`
      : undefined,
    target
      ? sql`${auditEvents.targetType} = ${target[1]} AND ${auditEvents.targetId} = ${target[2]}`
      : f.target
        ? sql`lower(coalesce(${auditEvents.targetLabel}, '')) LIKE ${containsPattern(f.target)}`
        : undefined,
    f.from ? sql`${auditEvents.occurredAt} >= (${f.from}::date)::timestamp AT TIME ZONE ${tz}` : undefined,
    f.to ? sql`${auditEvents.occurredAt} < ((${f.to}::date + 1)::timestamp AT TIME ZONE ${tz})` : undefined,
  );
}

const keys = [sql`${auditEvents.id}`];

/** Newest first, keyset on id (ids follow the chain order). */
export async function listAuditEvents(ctx: Ctx, input: AuditListInput, tz = "UTC"): Promise<Page<AuditRow>> {
  authorize(ctx.actor, "audit.read");
  const rows = await ctx.db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      actorId: auditEvents.actorId,
      actorLabel: auditEvents.actorLabel,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      targetLabel: auditEvents.targetLabel,
      before: auditEvents.before,
      after: auditEvents.after,
      metadata: auditEvents.metadata,
      prevHash: auditEvents.prevHash,
      hash: auditEvents.hash,
    })
    .from(auditEvents)
    .where(and(auditWhere(input, tz), keysetCondition(input, keys, ["bigint"], "desc")))
    .orderBy(keysetOrder(input, keys, "desc"))
    .limit(input.limit + 1);
  return toPage<AuditRow>(rows, input, (r) => [r.id]);
}

/** Distinct action names, for the filter's suggestions. */
export async function listAuditActions(ctx: Ctx): Promise<string[]> {
  authorize(ctx.actor, "audit.read");
  const rows = await ctx.db
    .selectDistinct({ action: auditEvents.action })
    .from(auditEvents)
    .orderBy(auditEvents.action);
  return rows.map((r) => r.action);
}
