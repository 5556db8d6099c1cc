import "server-only";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { breakGlassApprovals, breakGlassRequests } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Forbidden, Invalid } from "@/lib/errors";
import { activate, tellParties } from "../activate.internal";
import { approverCandidates } from "../eligible";
import { approvalsOf, lockRequest, requestLabel } from "../load";
import { loadBreakGlassPolicy } from "../policy";
import { approvalsMet, grantedMinutes } from "../rules";
import type { approveInput, denyInput } from "../schemas";

/**
 * The approver's turn, on the locked request: still pending and not lapsed, and the approver independent of it
 * (not requester, subject or in the subject's manager chain; the candidate query says why not). One decision per
 * approver is also a unique index, so a double click or two tabs cannot count twice.
 */
async function approverTurn(tx: Ctx, requestId: number) {
  const r = await lockRequest(tx, requestId);
  if (r.request.status !== "pending")
    throw new Conflict(`This request is ${r.request.status}: it is no longer decided.`);
  if (r.request.requestExpiresAt.getTime() <= tx.now.getTime())
    throw new Conflict("This request lapsed without enough approvals.");
  // Said first, whatever roles the database gives them: nobody decides their own request or one about them.
  if (tx.actor.id === r.request.subjectId) throw new Forbidden("You cannot decide this request: you are the subject.");
  if (tx.actor.id === r.request.requesterId) throw new Forbidden("You cannot decide this request: you requested it.");
  const policy = await loadBreakGlassPolicy(tx.db);
  const candidates = await approverCandidates(
    tx.db,
    { requesterId: r.request.requesterId, subjectId: r.request.subjectId, systemOwnerId: r.systemOwnerId },
    policy,
  );
  const me = candidates.find((c) => c.id === tx.actor.id);
  if (!me) throw new Forbidden("Only people holding the approver role decide break-glass.");
  if (me.excluded) throw new Forbidden(`You cannot decide this request: you ${me.excluded}.`);
  const earlier = await approvalsOf(tx, requestId);
  if (earlier.some((a) => a.approverId === tx.actor.id)) throw new Conflict("You have already decided this request.");
  return { r, policy, candidates, earlier };
}

/**
 * Approves. The approval that meets the policy (enough distinct approvers, each required group covered) activates
 * the request at once: the emergency grant is queued at the system, or the recovery's enrolment pass is issued and
 * returned — once — to this approver to hand over.
 */
export async function approveBreakGlass(ctx: Ctx, input: z.output<typeof approveInput>) {
  authorize(ctx.actor, "break_glass.approve");
  return transact(ctx, async (tx) => {
    const { r, policy, candidates, earlier } = await approverTurn(tx, input.requestId);
    const req = r.request;
    if (req.kind === "account_recovery" && !input.checklist)
      throw new Invalid("Record how you proofed the person before approving a recovery.", {
        checklist: ["Required for recovery"],
      });
    if (input.durationMinutes !== undefined && input.durationMinutes > req.durationMinutes)
      throw new Invalid("An approver may shorten the time asked for, never extend it.", {
        durationMinutes: [`At most ${req.durationMinutes}`],
      });
    const groupsOf = (id: number) => candidates.find((c) => c.id === id)?.groups ?? [];
    await tx.db.insert(breakGlassApprovals).values({
      requestId: req.id,
      approverId: tx.actor.id as number,
      decision: "approve",
      comment: input.comment ?? null,
      checklist: input.checklist ?? null,
      durationMinutes: input.durationMinutes ?? null,
      groupLabel: groupsOf(tx.actor.id as number).join(", ") || null,
      decidedAt: tx.now,
    });
    const approvals = [
      ...earlier.filter((a) => a.decision === "approve"),
      { approverId: tx.actor.id as number, durationMinutes: input.durationMinutes ?? null },
    ];
    const met = approvalsMet(
      policy,
      approvals.map((a) => ({ approverId: a.approverId, groups: groupsOf(a.approverId) })),
    );
    await writeAudit(tx, {
      action: "break_glass.approve",
      target: { type: "break_glass_request", id: req.id, label: requestLabel(r) },
      after: {
        approvals: approvals.length,
        required: policy.requiredApprovals,
        checklist: input.checklist ?? null,
        shortenedTo: input.durationMinutes ?? null,
        comment: input.comment ?? null,
      },
    });
    if (!met) return { status: "pending" as const, approvals: approvals.length, pass: null };
    const minutes =
      req.kind === "emergency_access"
        ? grantedMinutes(
            req.durationMinutes,
            approvals.map((a) => a.durationMinutes),
            policy.maxDurationMinutes,
          )
        : policy.passLifetimeMinutes;
    const { pass, taskIds } = await activate(tx, r, minutes, policy);
    await writeAudit(tx, {
      action: "break_glass.activate",
      target: { type: "break_glass_request", id: req.id, label: requestLabel(r) },
      before: { status: "pending" },
      after: {
        status: req.drill ? "expired" : "active",
        drill: req.drill,
        minutes,
        approvers: approvals.map((a) => a.approverId),
        grantTaskIds: taskIds,
        pass: pass
          ? { id: pass.id, issuedAt: pass.issuedAt, minStrength: pass.minStrength, expiresAt: pass.expiresAt }
          : null,
      },
    });
    return {
      status: req.drill ? ("expired" as const) : ("active" as const),
      approvals: approvals.length,
      pass: pass && !req.drill ? { secret: pass.secret, expiresAt: pass.expiresAt, issuedAt: pass.issuedAt } : null,
    };
  });
}

/** Denies: any deny ends the request. The requester and the subject are told why. */
export async function denyBreakGlass(ctx: Ctx, input: z.output<typeof denyInput>) {
  authorize(ctx.actor, "break_glass.approve");
  return transact(ctx, async (tx) => {
    const { r } = await approverTurn(tx, input.requestId);
    await tx.db.insert(breakGlassApprovals).values({
      requestId: r.request.id,
      approverId: tx.actor.id as number,
      decision: "deny",
      comment: input.reason,
      decidedAt: tx.now,
    });
    await tx.db
      .update(breakGlassRequests)
      .set({ status: "denied", endedAt: tx.now, endedById: tx.actor.id, endReason: input.reason })
      .where(eq(breakGlassRequests.id, r.request.id));
    await writeAudit(tx, {
      action: "break_glass.deny",
      target: { type: "break_glass_request", id: r.request.id, label: requestLabel(r) },
      before: { status: "pending" },
      after: { status: "denied", reason: input.reason },
    });
    await tellParties(tx, r, "break_glass.denied", "Your break-glass request was denied", input.reason);
    return { status: "denied" as const };
  });
}
