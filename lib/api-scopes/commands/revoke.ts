import "server-only";
import { and, eq } from "drizzle-orm";
import { remediationTasks } from "@/db/schema";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid } from "@/lib/errors";
import { confirmTask } from "@/lib/remediation/commands";
import { queueTasks, type RemediationItem, requestRemediation } from "@/lib/remediation/internal";
import type { RemediationAction } from "@/lib/remediation/model";
import type { ChangeTarget } from "./load";
import { loadTarget } from "./load";

export type RequestResult = {
  taskId: number;
  /** connector: queued at the issuer, verified by re-reading it; manual: someone confirms with evidence. */
  mode: "connector" | "manual" | "handover";
  state: "queued" | "awaiting_evidence" | "awaiting_second" | "verified";
};

/**
 * Asks the remediation engine to change a credential at its issuer, from the credential page: a task with the
 * credential as its origin, carried out by the issuer's connector as a job (RFC 7009 + RFC 7662 for OAuth tokens,
 * RFC 7592 for OAuth clients, the signed webhook, or the simulated stand-in) and verified by re-reading the issuer,
 * with retries — the same engine leaver cases use. Without a working connector the task is manual: evidence given
 * here confirms it at once (a second person confirms privileged ones).
 */
async function requestCredentialChange(
  tx: Ctx,
  t: ChangeTarget,
  change: {
    action: RemediationAction;
    event: "api_scope.revoke" | "api_scope.reduce_scopes";
    params?: RemediationItem["params"];
    reason: string;
    evidence?: string;
  },
): Promise<RequestResult> {
  const item: RemediationItem = {
    originId: t.id,
    subjectId: t.holder.id,
    systemId: t.system.id,
    action: change.action,
    targetType: "credential",
    targetId: t.id,
    label: `${t.name} (${t.system.name})`,
    bulkData: t.blastRadius > 0,
    params: change.params ?? null,
  };
  const [task] = await requestRemediation(tx, {
    origin: "credential_page",
    items: [item],
    event: {
      name: change.event,
      targetType: "credential",
      label: () => t.name,
      metadata: { reason: change.reason, ...(change.params ? { params: change.params } : {}) },
    },
  });
  const taskId = task?.id ?? (await again(tx, t, change.action));
  const mode = task?.mode ?? "connector";
  if (mode === "connector") {
    await queueTasks(tx, { taskIds: [taskId] });
    return { taskId, mode, state: "queued" };
  }
  if (!change.evidence) return { taskId, mode, state: "awaiting_evidence" };
  const confirmed = await confirmTask(tx, { taskId, note: change.evidence });
  return { taskId, mode, state: confirmed.awaitingSecond ? "awaiting_second" : "verified" };
}

/**
 * The credential page already asked for this change once (a task per change and credential): a failed attempt is
 * queued again; one still under way or waived is reported.
 */
async function again(tx: Ctx, t: ChangeTarget, action: RemediationAction): Promise<number> {
  const [existing] = await tx.db
    .select({ id: remediationTasks.id, state: remediationTasks.state, mode: remediationTasks.mode })
    .from(remediationTasks)
    .where(
      and(
        eq(remediationTasks.origin, "credential_page"),
        eq(remediationTasks.originId, t.id),
        eq(remediationTasks.action, action),
        eq(remediationTasks.targetId, t.id),
      ),
    );
  if (!existing) throw new Conflict("The change could not be requested; try again.");
  if (existing.state === "failed" && existing.mode === "connector") return existing.id;
  if (existing.state === "waived")
    throw new Conflict("This change was requested before and waived; nothing was queued.");
  throw new Conflict("This change is already under way: see its task below.");
}

/** Revokes a credential at its issuer through the remediation engine (see requestCredentialChange). */
export async function revokeCredential(
  ctx: Ctx,
  input: { credentialId: number; reason: string; evidence?: string },
): Promise<RequestResult> {
  authorize(ctx.actor, "api_scopes.manage");
  return transact(ctx, async (tx) => {
    const t = await loadTarget(tx, input.credentialId, { lock: true });
    if (t.status !== "active") throw new Conflict(`This credential is already ${t.status}.`);
    return requestCredentialChange(tx, t, { action: "revoke_credential", event: "api_scope.revoke", ...input });
  });
}

/**
 * Drops scopes from a credential (an access-review "reduce") at its issuer through the remediation engine: for an
 * OAuth client registered with RFC 7591, an RFC 7592 configuration update verified by reading it back and by a
 * refused token request for a dropped scope. Lockstep's record (and the blast radius) follows once it is done.
 */
export async function reduceScopes(
  ctx: Ctx,
  input: { credentialId: number; drop: string[]; reason: string; evidence?: string },
): Promise<RequestResult> {
  authorize(ctx.actor, "api_scopes.manage");
  return transact(ctx, async (tx) => {
    const t = await loadTarget(tx, input.credentialId, { lock: true });
    if (t.status !== "active") throw new Conflict(`This credential is ${t.status}: there is nothing to change.`);
    const drop = [...new Set(input.drop)];
    const notHeld = drop.filter((s) => !t.scopes.includes(s));
    if (notHeld.length) {
      throw new Invalid(`It does not hold ${notHeld.join(", ")}.`, { drop: [`Not held: ${notHeld.join(", ")}`] });
    }
    const keep = t.scopes.filter((s) => !drop.includes(s));
    if (keep.length === 0) {
      throw new Invalid("To drop every scope, revoke the credential instead.", {
        drop: ["Keep at least one scope, or revoke."],
      });
    }
    return requestCredentialChange(tx, t, {
      action: "reduce_scopes",
      event: "api_scope.reduce_scopes",
      params: { keepScopes: keep, dropScopes: drop },
      reason: input.reason,
      evidence: input.evidence,
    });
  });
}
