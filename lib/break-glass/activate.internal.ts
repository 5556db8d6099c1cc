import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { breakGlassRequests, grants, remediationTasks } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { Conflict } from "@/lib/errors";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import { notify } from "@/lib/notices/internal";
import { queueTasks, requestRemediation } from "@/lib/remediation/internal";
import { expiryJob } from "./expiry-job";
import { type LockedRequest, requestLabel, subjectAccount } from "./load";
import { type IssuedPass, issuePass, voidPasses } from "./passes.internal";
import { type BreakGlassPolicy, passMinStrength } from "./rules";

/**
 * What an approved request turns into, and how it ends (unguarded: approve, end, dispute and the expiry job call
 * these inside their own authorized, audited transactions).
 *  - Emergency access: a grant with source break_glass and an expiry, added at the connected system through the
 *    remediation engine (origin break_glass, action add_grant) and verified by re-reading it there.
 *  - Account recovery: a one-time enrolment pass that accepts only a factor at least as strong as before.
 *  - A drill: the same approvals and pass issuance for a test subject, granting nothing (the pass is voided at once).
 * The subject is told either way, with a "this wasn't me" on the request page.
 */
export async function activate(
  tx: Ctx,
  r: LockedRequest,
  minutes: number,
  policy: BreakGlassPolicy,
): Promise<{ pass: IssuedPass | null; taskIds: number[] }> {
  const req = r.request;
  let pass: IssuedPass | null = null;
  const taskIds: number[] = [];
  let expiresAt = new Date(tx.now.getTime() + minutes * 60_000);
  if (req.kind === "emergency_access") {
    const account = r.systemId ? await subjectAccount(tx, req.subjectId, r.systemId) : null;
    if (!account || !r.systemId || !req.entitlementId)
      throw new Conflict(`${r.subjectName} has no active account on ${r.systemName ?? "that system"}.`);
    const tasks = await requestRemediation(tx, {
      origin: "break_glass",
      items: [
        {
          originId: req.id,
          subjectId: req.subjectId,
          systemId: r.systemId,
          action: "add_grant",
          targetType: "entitlement",
          targetId: req.entitlementId,
          label: `${r.entitlementName} (emergency, ${minutes} min)`,
          privileged: true,
          priority: 1,
          params: { accountId: account.id, grantSource: "break_glass", expiresAt: expiresAt.toISOString() },
        },
      ],
    });
    await queueTasks(tx, { taskIds: tasks.map((t) => t.id) });
    taskIds.push(...tasks.map((t) => t.id));
  } else {
    pass = await issuePass(tx, req, passMinStrength(req.subjectStrengthAtRequest), policy.passLifetimeMinutes);
    expiresAt = pass.expiresAt;
    if (req.drill) await voidPasses(tx, req.id);
  }
  await tx.db
    .update(breakGlassRequests)
    .set({
      status: req.drill ? "expired" : "active",
      approvedAt: tx.now,
      activatedAt: tx.now,
      expiresAt,
      endedAt: req.drill ? tx.now : null,
      endReason: req.drill ? "Drill: approvals and pass issuance exercised, nothing granted" : null,
      postReviewDueAt: req.drill ? null : new Date(expiresAt.getTime() + policy.postReviewDays * 86_400_000),
    })
    .where(eq(breakGlassRequests.id, req.id));
  if (!req.drill) {
    await enqueueJobs(tx.db, [expiryJob(req.id, expiresAt)]);
    await notify(tx, [
      {
        identityId: req.subjectId,
        kind: "break_glass.activated",
        title:
          req.kind === "emergency_access"
            ? "Emergency access was granted to you"
            : "An account recovery was approved for you",
        body: `${requestLabel(r)} — approved ${tx.now.toISOString()}. If this wasn't you, say so on the request page: it ends at once and the approvers are alerted.`,
        href: `/break-glass/${req.id}`,
        target: { type: "break_glass_request", id: req.id },
      },
    ]);
  }
  return { pass, taskIds };
}

/**
 * Ends what a request granted: the emergency grant is removed at the system through the engine (verified there),
 * a pending add is withdrawn, and unused passes are voided. Returns what it did, for the audit event.
 */
export async function endGrants(
  tx: Ctx,
  r: LockedRequest,
): Promise<{ removalTaskIds: number[]; withdrawn: number; voided: number }> {
  const req = r.request;
  const voided = await voidPasses(tx, req.id);
  if (req.kind !== "emergency_access" || !r.systemId || !req.entitlementId)
    return { removalTaskIds: [], withdrawn: 0, voided };
  // An add that has not run yet is withdrawn rather than raced.
  const withdrawn = await tx.db
    .update(remediationTasks)
    .set({ state: "waived", updatedAt: tx.now, waivedReason: "Break-glass ended before the grant was made" })
    .where(
      and(
        eq(remediationTasks.origin, "break_glass"),
        eq(remediationTasks.originId, req.id),
        eq(remediationTasks.action, "add_grant"),
        eq(remediationTasks.state, "pending"),
      ),
    )
    .returning({ id: remediationTasks.id });
  const account = await subjectAccount(tx, req.subjectId, r.systemId);
  const live = account
    ? await tx.db
        .select({ id: grants.id })
        .from(grants)
        .where(
          and(
            eq(grants.accountId, account.id),
            eq(grants.entitlementId, req.entitlementId),
            eq(grants.source, "break_glass"),
            isNull(grants.revokedAt),
          ),
        )
    : [];
  const tasks = await requestRemediation(tx, {
    origin: "break_glass",
    items: live.map((g) => ({
      originId: req.id,
      subjectId: req.subjectId,
      systemId: r.systemId as number,
      action: "remove_grant" as const,
      targetType: "grant",
      targetId: g.id,
      label: `${r.entitlementName} (emergency access ends)`,
      privileged: true,
      priority: 1,
    })),
  });
  await queueTasks(tx, { taskIds: tasks.map((t) => t.id) });
  return { removalTaskIds: tasks.map((t) => t.id), withdrawn: withdrawn.length, voided };
}

/** An in-app notice to the requester and the subject (once when they are the same person). */
export async function tellParties(tx: Ctx, r: LockedRequest, kind: string, title: string, body: string) {
  const ids = [...new Set([r.request.requesterId, r.request.subjectId])];
  await notify(
    tx,
    ids.map((identityId) => ({
      identityId,
      kind,
      title,
      body: `${requestLabel(r)}: ${body}`,
      href: `/break-glass/${r.request.id}`,
      target: { type: "break_glass_request", id: r.request.id },
    })),
  );
}
