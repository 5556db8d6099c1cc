import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { z } from "zod";
import { breakGlassRequests, entitlements, identityPosture } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize, can } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Forbidden, Invalid } from "@/lib/errors";
import { FACTOR_TYPE_LABELS, PRIMARY_STRENGTH, STRENGTH_LABELS } from "@/lib/factors/strength";
import { notify } from "@/lib/notices/internal";
import { loadEligiblePerson } from "@/lib/people/eligible";
import { approverCandidates } from "../eligible";
import { lockRequest, requestLabel, subjectAccount } from "../load";
import { loadBreakGlassPolicy } from "../policy";
import { OPEN_STATUSES, passMinStrength, uncoverableGroups } from "../rules";
import type { requestInput } from "../schemas";

/**
 * Asks for break-glass. Anyone signed in asks for themselves; analysts ask account recovery on behalf of a
 * locked-out person. Emergency access names a privileged entitlement on a system where the subject has an account,
 * for at most the policy's maximum; account recovery names the factor to enrol, which may not be weaker than the
 * subject's strength before the lock-out (never below AAL2). Eligible approvers are told in-app.
 */
export async function requestBreakGlass(ctx: Ctx, input: z.output<typeof requestInput>) {
  authorize(ctx.actor, "break_glass.request");
  const me = ctx.actor.id;
  if (me === null) throw new Forbidden("Break-glass is asked for by a person.");
  const subjectId = input.subjectId ?? me;
  // Drills exercise the real approval flow for a test subject: run by admins, for recovery only.
  if (input.drill) {
    if (!can(ctx.actor, "policies.manage")) throw new Forbidden("Recovery drills are run by administrators.");
    if (input.kind !== "account_recovery") throw new Invalid("A drill exercises account recovery.");
  }
  if (subjectId !== me) {
    if (!can(ctx.actor, "break_glass.request_for"))
      throw new Forbidden("You can ask for break-glass for yourself only.");
    if (input.kind !== "account_recovery")
      throw new Invalid(
        "On someone else's behalf you can ask for account recovery only: they ask for their own access.",
      );
  }
  return transact(ctx, async (tx) => {
    const policy = await loadBreakGlassPolicy(tx.db);
    const subject = await loadEligiblePerson(tx.db, subjectId);
    if (!subject) throw new Invalid("The subject must be an active person.", { subjectId: ["Not an active person"] });
    const open = await tx.db
      .select({ id: breakGlassRequests.id })
      .from(breakGlassRequests)
      .where(
        and(
          eq(breakGlassRequests.subjectId, subjectId),
          eq(breakGlassRequests.kind, input.kind),
          inArray(breakGlassRequests.status, [...OPEN_STATUSES]),
          input.kind === "emergency_access" && input.entitlementId
            ? eq(breakGlassRequests.entitlementId, input.entitlementId)
            : undefined,
        ),
      )
      .limit(1);
    if (open.length) throw new Conflict(`Request #${open[0].id} for this is still open.`);

    let strengthBefore: number | null = null;
    let minutes: number;
    if (input.kind === "emergency_access") {
      const [e] = await tx.db.select().from(entitlements).where(eq(entitlements.id, input.entitlementId));
      if (!e) throw new Invalid("No such entitlement.", { entitlementId: ["Not found"] });
      if (!e.privileged)
        throw new Invalid("Break-glass is for privileged access; ask for this one the usual way.", {
          entitlementId: ["Not privileged"],
        });
      if (!(await subjectAccount(tx, subjectId, e.systemId)))
        throw new Invalid("The subject has no active account on that system.", { entitlementId: ["No account"] });
      if (input.durationMinutes > policy.maxDurationMinutes)
        throw new Invalid(`The policy allows at most ${policy.maxDurationMinutes} minutes.`, {
          durationMinutes: [`At most ${policy.maxDurationMinutes}`],
        });
      minutes = input.durationMinutes;
    } else {
      const [p] = await tx.db
        .select({ strength: identityPosture.effectiveStrength })
        .from(identityPosture)
        .where(eq(identityPosture.identityId, subjectId));
      strengthBefore = p?.strength ?? null;
      const min = passMinStrength(strengthBefore);
      if (PRIMARY_STRENGTH[input.recoveryFactor] < min)
        throw new Invalid(
          `${FACTOR_TYPE_LABELS[input.recoveryFactor]} would be a downgrade: recovery enrols ${STRENGTH_LABELS[min]} or stronger.`,
          { recoveryFactor: ["Weaker than before"] },
        );
      minutes = policy.passLifetimeMinutes;
    }

    const [row] = await tx.db
      .insert(breakGlassRequests)
      .values({
        kind: input.kind,
        requesterId: me,
        subjectId,
        reason: input.reason,
        reasonCode: input.reasonCode,
        ticketRef: input.ticketRef ?? null,
        entitlementId: input.kind === "emergency_access" ? input.entitlementId : null,
        recoveryFactor: input.kind === "account_recovery" ? input.recoveryFactor : null,
        subjectStrengthAtRequest: strengthBefore,
        durationMinutes: minutes,
        requiredApprovals: policy.requiredApprovals,
        drill: input.drill ?? false,
        createdAt: tx.now,
        requestExpiresAt: new Date(tx.now.getTime() + policy.requestTtlMinutes * 60_000),
      })
      .returning({ id: breakGlassRequests.id });
    const locked = await lockRequest(tx, row.id);
    const candidates = await approverCandidates(
      tx.db,
      { requesterId: me, subjectId, systemOwnerId: locked.systemOwnerId },
      policy,
    );
    const eligible = candidates.filter((c) => !c.excluded);
    await writeAudit(tx, {
      action: "break_glass.request",
      target: { type: "break_glass_request", id: row.id, label: requestLabel(locked) },
      after: {
        kind: input.kind,
        subjectId,
        reasonCode: input.reasonCode,
        ticketRef: input.ticketRef ?? null,
        minutes,
        drill: input.drill ?? false,
        eligibleApprovers: eligible.length,
      },
    });
    await notify(
      tx,
      eligible.map((c) => ({
        identityId: c.id,
        kind: "break_glass.approval_needed",
        title: input.drill ? "Recovery drill: your approval is asked" : "A break-glass request needs your approval",
        body: `${requestLabel(locked)}: ${input.reason}`,
        href: `/break-glass/${row.id}`,
        target: { type: "break_glass_request", id: row.id },
      })),
    );
    return {
      requestId: row.id,
      eligibleApprovers: eligible.length,
      canBeMet: eligible.length >= policy.requiredApprovals && uncoverableGroups(policy, input.kind).length === 0,
    };
  });
}
