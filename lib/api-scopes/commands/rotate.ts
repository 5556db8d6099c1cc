import "server-only";
import { eq } from "drizzle-orm";
import { credentials } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { ConnectorError, oauthConnectorFor } from "@/lib/connectors";
import { type Ctx, transact } from "@/lib/context";
import { Conflict } from "@/lib/errors";
import { loadTarget } from "./load";

/**
 * Gives an OAuth client a new secret through its RFC 7592 registration (lib/connectors/oauth-clients.ts
 * rotateSecret), verified by reading the configuration back and, where possible, by token requests with the new
 * and the old secret. Not a revocation, so not a remediation task: an administrator's audited command. The new
 * secret is returned once, for the admin to hand over; Lockstep neither stores nor logs it.
 */
export async function rotateClientSecret(ctx: Ctx, input: { credentialId: number }) {
  authorize(ctx.actor, "api_scopes.handles");
  const t = await loadTarget(ctx, input.credentialId);
  if (t.status !== "active") throw new Conflict(`This credential is ${t.status}: there is nothing to rotate.`);
  if (t.kind !== "oauth_client") throw new Conflict("Only an OAuth client's secret can be rotated from here.");
  let rotated: Awaited<ReturnType<ReturnType<typeof oauthConnectorFor>["rotateClientSecret"]>>;
  try {
    // The authorization server is called outside any transaction (a slow server must not hold a row lock).
    rotated = await oauthConnectorFor(t.system, ctx.db).rotateClientSecret({ id: t.id, externalRef: t.externalRef });
  } catch (err) {
    if (err instanceof ConnectorError) throw new Conflict(err.message);
    throw err;
  }
  await transact(ctx, async (tx) => {
    await tx.db.update(credentials).set({ lastRotatedAt: tx.now }).where(eq(credentials.id, t.id));
    await writeAudit(tx, {
      action: "api_scope.rotate_secret",
      target: { type: "credential", id: t.id, label: t.name },
      after: { rotatedAt: tx.now.toISOString(), expiresAt: rotated.expiresAt?.toISOString() ?? null },
      metadata: { system: t.system.slug, clientId: rotated.clientId, verification: rotated.how },
    });
  });
  return {
    clientId: rotated.clientId,
    secret: rotated.secret,
    expiresAt: rotated.expiresAt,
    verification: rotated.how,
  };
}
