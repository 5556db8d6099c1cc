import "server-only";
import { and, desc, eq, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { breakGlassRequests, identities } from "@/db/schema";
import { authorize, can } from "@/lib/authz";
import type { Ctx } from "@/lib/context";

const requester = alias(identities, "requester");
const subject = alias(identities, "subject");

/**
 * Break-glass requests: approvers, analysts and admins see all; anyone else sees the requests they made
 * or that are about them.
 */
export async function listRequests(ctx: Ctx, opts: { limit?: number } = {}) {
  authorize(ctx.actor, "break_glass.request");
  const seeAll = can(ctx.actor, "break_glass.read");
  const own =
    ctx.actor.id === null
      ? sql`false`
      : or(eq(breakGlassRequests.requesterId, ctx.actor.id), eq(breakGlassRequests.subjectId, ctx.actor.id));
  return ctx.db
    .select({
      id: breakGlassRequests.id,
      kind: breakGlassRequests.kind,
      status: breakGlassRequests.status,
      reason: breakGlassRequests.reason,
      requester: requester.displayName,
      subject: subject.displayName,
      subjectId: subject.id,
      durationMinutes: breakGlassRequests.durationMinutes,
      createdAt: breakGlassRequests.createdAt,
      expiresAt: breakGlassRequests.expiresAt,
      requestExpiresAt: breakGlassRequests.requestExpiresAt,
      requiredApprovals: breakGlassRequests.requiredApprovals,
      approvals: sql<number>`(SELECT count(*) FROM break_glass_approvals a WHERE a.request_id = ${breakGlassRequests.id} AND a.decision = 'approve')::int`,
    })
    .from(breakGlassRequests)
    .innerJoin(requester, eq(requester.id, breakGlassRequests.requesterId))
    .innerJoin(subject, eq(subject.id, breakGlassRequests.subjectId))
    .where(and(seeAll ? undefined : own))
    .orderBy(sql`${breakGlassRequests.status} = 'pending' DESC`, desc(breakGlassRequests.createdAt))
    .limit(opts.limit ?? 200);
}
