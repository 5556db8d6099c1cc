import "server-only";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { breakGlassApprovals, breakGlassRequests, consoleRoles } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { endPasskeySessionsSince } from "@/lib/auth/console-sessions.internal";
import { authorize, can } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Forbidden } from "@/lib/errors";
import { notify } from "@/lib/notices/internal";
import { endGrants, tellParties } from "../activate.internal";
import { lockRequest, requestLabel } from "../load";
import { removeRecoveredPasskeys } from "../passes.internal";
import { disputeRefusal } from "../rules";
import type { endInput, postReviewInput, requestIdInput } from "../schemas";

/** The subject, or an approver, ends active break-glass before its time: the grant is removed at the system. */
export async function endBreakGlass(ctx: Ctx, input: z.output<typeof endInput>) {
  authorize(ctx.actor, "break_glass.request");
  return transact(ctx, async (tx) => {
    const r = await lockRequest(tx, input.requestId);
    const mayEnd = r.request.subjectId === tx.actor.id || can(tx.actor, "break_glass.approve");
    if (!mayEnd) throw new Forbidden("Only the subject or an approver can end break-glass early.");
    if (r.request.status !== "active") throw new Conflict(`This request is ${r.request.status}: nothing is active.`);
    const ended = await endGrants(tx, r);
    await tx.db
      .update(breakGlassRequests)
      .set({ status: "revoked", endedAt: tx.now, endedById: tx.actor.id, endReason: input.reason })
      .where(eq(breakGlassRequests.id, r.request.id));
    await writeAudit(tx, {
      action: "break_glass.revoke",
      target: { type: "break_glass_request", id: r.request.id, label: requestLabel(r) },
      before: { status: "active" },
      after: { status: "revoked", reason: input.reason, ...ended },
    });
    if (tx.actor.id !== r.request.subjectId)
      await tellParties(tx, r, "break_glass.ended", "Break-glass was ended early", input.reason);
    return { status: "revoked" as const, ...ended };
  });
}

/** The requester withdraws a request nobody has finished deciding. */
export async function cancelBreakGlass(ctx: Ctx, input: z.output<typeof requestIdInput>) {
  authorize(ctx.actor, "break_glass.request");
  return transact(ctx, async (tx) => {
    const r = await lockRequest(tx, input.requestId);
    if (r.request.requesterId !== tx.actor.id) throw new Forbidden("Only the requester can cancel a request.");
    if (r.request.status !== "pending")
      throw new Conflict(`This request is ${r.request.status}: it cannot be cancelled.`);
    await tx.db
      .update(breakGlassRequests)
      .set({ status: "cancelled", endedAt: tx.now, endedById: tx.actor.id })
      .where(eq(breakGlassRequests.id, r.request.id));
    await writeAudit(tx, {
      action: "break_glass.cancel",
      target: { type: "break_glass_request", id: r.request.id, label: requestLabel(r) },
      before: { status: "pending" },
      after: { status: "cancelled" },
    });
    return { status: "cancelled" as const };
  });
}

/**
 * "This wasn't me" (NIST 800-63B-4 §4.2 notice): the subject disputes a recovery or emergency grant made for them,
 * or a request in their name still open. Whatever it granted ends at once (grant removed, pass voided; a passkey a
 * used pass enrolled is removed, and the person's passkey sessions begun since the pass was used end), it is
 * marked disputed, and every approver is alerted. One denied, cancelled or lapsed unapproved is refused (409):
 * nothing happened and nothing can (rules.ts disputeRefusal).
 */
export async function disputeBreakGlass(ctx: Ctx, input: z.output<typeof requestIdInput>) {
  authorize(ctx.actor, "break_glass.request");
  return transact(ctx, async (tx) => {
    const r = await lockRequest(tx, input.requestId);
    if (r.request.subjectId !== tx.actor.id) throw new Forbidden("Only the person it was for can dispute a request.");
    const refusal = disputeRefusal(r.request);
    if (refusal) throw new Conflict(refusal);
    const ended = await endGrants(tx, r);
    // Whoever used the pass was not the subject: their passkey goes, and so do the sessions it may have opened.
    const recovered = await removeRecoveredPasskeys(tx, r.request.id);
    const sessionsEnded = recovered.firstUsedAt
      ? await endPasskeySessionsSince(tx, r.request.subjectId, recovered.firstUsedAt, "recovery_disputed")
      : 0;
    await tx.db
      .update(breakGlassRequests)
      .set({
        status: "disputed",
        disputedAt: tx.now,
        endedAt: r.request.endedAt ?? tx.now,
        endedById: tx.actor.id,
        endReason: "Disputed by the subject: this wasn't me",
      })
      .where(eq(breakGlassRequests.id, r.request.id));
    await writeAudit(tx, {
      action: "break_glass.dispute",
      target: { type: "break_glass_request", id: r.request.id, label: requestLabel(r) },
      before: { status: r.request.status },
      after: { status: "disputed", ...ended, passkeysRemoved: recovered.passkeyIds, sessionsEnded },
    });
    const approvers = await tx.db
      .select({ id: consoleRoles.identityId })
      .from(consoleRoles)
      .where(eq(consoleRoles.role, "approver"));
    const decided = await tx.db
      .select({ id: breakGlassApprovals.approverId })
      .from(breakGlassApprovals)
      .where(eq(breakGlassApprovals.requestId, r.request.id));
    const alert = [
      ...new Set([...approvers.map((a) => a.id), ...decided.map((d) => d.id), r.request.requesterId]),
    ].filter((id) => id !== tx.actor.id);
    await notify(
      tx,
      alert.map((identityId) => ({
        identityId,
        kind: "break_glass.disputed",
        title: "Break-glass disputed: the subject says it wasn't them",
        body: `${requestLabel(r)}. What it granted was ended; investigate who asked for it and how they were proofed.`,
        href: `/break-glass/${r.request.id}`,
        target: { type: "break_glass_request", id: r.request.id },
      })),
    );
    return {
      status: "disputed" as const,
      alerted: alert.length,
      ...ended,
      passkeysRemoved: recovered.passkeyIds.length,
      sessionsEnded,
    };
  });
}

/** The post-incident review every use needs (within the policy's days): what was done, by the subject or an approver. */
export async function recordPostReview(ctx: Ctx, input: z.output<typeof postReviewInput>) {
  authorize(ctx.actor, "break_glass.request");
  return transact(ctx, async (tx) => {
    const r = await lockRequest(tx, input.requestId);
    const party = [r.request.subjectId, r.request.requesterId].includes(tx.actor.id as number);
    if (!party && !can(tx.actor, "break_glass.approve"))
      throw new Forbidden("The subject, the requester or an approver records the post-incident review.");
    if (!r.request.activatedAt || r.request.drill)
      throw new Conflict("Only break-glass that was used is reviewed after the incident.");
    if (r.request.postReviewAt) throw new Conflict("The post-incident review is already recorded.");
    await tx.db
      .update(breakGlassRequests)
      .set({ postReview: input.summary, postReviewAt: tx.now, postReviewById: tx.actor.id })
      .where(eq(breakGlassRequests.id, r.request.id));
    await writeAudit(tx, {
      action: "break_glass.post_review",
      target: { type: "break_glass_request", id: r.request.id, label: requestLabel(r) },
      after: { summary: input.summary, late: (r.request.postReviewDueAt?.getTime() ?? Infinity) < tx.now.getTime() },
    });
    return { recorded: true };
  });
}
