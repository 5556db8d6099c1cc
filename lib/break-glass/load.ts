import "server-only";
import { and, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { accounts, breakGlassApprovals, breakGlassRequests, entitlements, identities, systems } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";

const subject = alias(identities, "subject");

/**
 * A request locked for a change (FOR UPDATE: two approvers approving at once are serialized here, so neither
 * counts the other twice), with what the commands need about its entitlement and system.
 */
export async function lockRequest(tx: Ctx, requestId: number) {
  const [row] = await tx.db
    .select({
      request: breakGlassRequests,
      subjectName: subject.displayName,
      entitlementName: entitlements.name,
      systemId: systems.id,
      systemName: systems.name,
      systemOwnerId: systems.ownerId,
    })
    .from(breakGlassRequests)
    .innerJoin(subject, eq(subject.id, breakGlassRequests.subjectId))
    .leftJoin(entitlements, eq(entitlements.id, breakGlassRequests.entitlementId))
    .leftJoin(systems, eq(systems.id, entitlements.systemId))
    .where(eq(breakGlassRequests.id, requestId))
    .for("update", { of: breakGlassRequests });
  if (!row) throw new NotFound("That break-glass request");
  return row;
}
export type LockedRequest = Awaited<ReturnType<typeof lockRequest>>;

export const requestLabel = (r: LockedRequest) =>
  r.request.kind === "emergency_access"
    ? `${r.entitlementName} on ${r.systemName} for ${r.subjectName}`
    : `Account recovery for ${r.subjectName}`;

/** The approvals recorded so far, oldest first. */
export function approvalsOf(tx: Ctx, requestId: number) {
  return tx.db
    .select()
    .from(breakGlassApprovals)
    .where(eq(breakGlassApprovals.requestId, requestId))
    .orderBy(breakGlassApprovals.decidedAt, breakGlassApprovals.id);
}

/** The subject's active account on a system (where an emergency grant lands). */
export async function subjectAccount(tx: Ctx, subjectId: number, systemId: number) {
  const [a] = await tx.db
    .select({ id: accounts.id, username: accounts.username })
    .from(accounts)
    .where(and(eq(accounts.identityId, subjectId), eq(accounts.systemId, systemId), eq(accounts.status, "active")))
    .limit(1);
  return a ?? null;
}
