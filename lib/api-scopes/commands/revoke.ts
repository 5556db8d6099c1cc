import { sql } from "drizzle-orm";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type ConnectorAction, ConnectorError, connectorFor, connectorProblem, supportedKinds } from "@/lib/connectors";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid } from "@/lib/errors";
import { type ChangeTarget, loadTarget } from "./load";

export type RevokeResult = {
  outcome: "done" | "already_gone" | "manual";
  /** How the issuer proved it (e.g. "introspection (RFC 7662): active=false"), or the evidence recorded by hand. */
  verification: string;
  connector: string;
  simulated: boolean;
};

/**
 * Revokes a credential at its issuer through the issuer's connector — the connector port the leaver pillar's
 * tasks use (RFC 7009 + RFC 7662 for OAuth, the signed webhook, or the simulated stand-in) — and only then
 * records it, in one transaction with its audit event. The issuer is called outside the transaction (a slow
 * issuer must not hold row locks); a failure or an unverified revocation is audited and nothing else changes.
 * Issuers without a working connector need evidence that it was revoked there.
 */
export async function revokeCredential(
  ctx: Ctx,
  input: { credentialId: number; reason: string; evidence?: string },
): Promise<RevokeResult> {
  authorize(ctx.actor, "api_scopes.manage");
  const target = await loadTarget(ctx, input.credentialId);
  if (target.status !== "active") throw new Conflict(`This credential is already ${target.status}.`);

  const problem =
    connectorProblem(target.system) ??
    (supportedKinds(target.system).includes("revoke_credential")
      ? null
      : `its ${target.system.kind.toUpperCase()} connector cannot revoke tokens`);
  if (problem) {
    if (!input.evidence) {
      throw new Invalid(
        `${target.system.name} cannot be revoked from Lockstep (${problem}). Revoke it at the issuer, then record it here with evidence.`,
        {
          evidence: ["Describe how it was revoked at the issuer (ticket, screenshot reference, console log line)."],
        },
      );
    }
    return record(ctx, target, input, {
      outcome: "manual",
      verification: `confirmed by hand: ${input.evidence}`,
      connector: "manual",
      simulated: false,
    });
  }

  const connector = connectorFor(target.system, ctx.db, { now: () => ctx.now });
  const action: ConnectorAction = {
    id: `credential-${target.id}`,
    kind: "revoke_credential",
    system: target.system,
    ref: { type: "credential", id: target.id },
    person: {
      email: target.holder.email,
      employeeNumber: target.holder.employeeNumber,
      displayName: target.holder.name,
    },
    credential: { id: target.id, externalRef: target.externalRef, credentialKind: target.kind },
  };
  const connectorName = connector.simulated ? `${target.system.kind} (simulated)` : target.system.kind;
  try {
    const executed = await connector.execute(action);
    const verdict = await connector.verify(action);
    if (!verdict.verified) {
      await recordFailure(ctx, target, input, `not verified: ${verdict.reason}`, connectorName);
      throw new Conflict(
        `${target.system.name} accepted the revocation but still reports the credential active (${verdict.reason}). Nothing was changed in Lockstep; try again.`,
      );
    }
    const how = connector.simulated ? `${verdict.how} [simulated]` : verdict.how;
    return record(ctx, target, input, {
      outcome: executed.outcome,
      verification: how,
      connector: connectorName,
      simulated: connector.simulated,
    });
  } catch (err) {
    if (!(err instanceof ConnectorError)) throw err;
    await recordFailure(ctx, target, input, err.message, connectorName);
    throw new Conflict(
      `Revocation failed at ${target.system.name}: ${err.message}${err.retryable ? " (temporary: try again)" : ""}. Nothing was changed in Lockstep.`,
    );
  }
}

async function record(
  ctx: Ctx,
  target: ChangeTarget,
  input: { reason: string; evidence?: string },
  result: RevokeResult,
): Promise<RevokeResult> {
  return transact(ctx, async (tx) => {
    // Another analyst may have revoked it meanwhile; the issuer's answer still holds, so record it either way.
    await tx.db.execute(
      sql`UPDATE credentials SET status = 'revoked', revoked_at = coalesce(revoked_at, ${ctx.now.toISOString()}::timestamptz) WHERE id = ${target.id}`,
    );
    await writeAudit(tx, {
      action: "api_scope.revoke",
      target: { type: "credential", id: target.id, label: target.name },
      before: { status: target.status },
      after: { status: "revoked", outcome: result.outcome, verification: result.verification },
      metadata: {
        system: target.system.slug,
        connector: result.connector,
        simulated: result.simulated,
        reason: input.reason,
        ...(input.evidence ? { evidence: input.evidence } : {}),
      },
    });
    return result;
  });
}

async function recordFailure(
  ctx: Ctx,
  target: ChangeTarget,
  input: { reason: string },
  error: string,
  connector: string,
): Promise<void> {
  await transact(ctx, (tx) =>
    writeAudit(tx, {
      action: "api_scope.revoke_failed",
      target: { type: "credential", id: target.id, label: target.name },
      before: { status: target.status },
      after: { status: target.status, error },
      metadata: { system: target.system.slug, connector, reason: input.reason },
    }),
  );
}
