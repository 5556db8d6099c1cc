import "server-only";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { queryRows } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid } from "@/lib/errors";
import type { assignOwnerInput, setExpiryInput } from "../schemas";
import { loadTarget } from "./load";

// Changes to Lockstep's record of a credential. Each authorizes first, locks the row, writes the change and its
// audit event in one transaction (the rollup follows by trigger in the same transaction).

function mustBeLive(status: string): void {
  if (status !== "active") throw new Conflict(`This credential is ${status}: there is nothing to change.`);
}

/** Names the accountable human: an active person (a non-human identity or a leaver cannot answer for it). */
export async function assignOwner(ctx: Ctx, input: z.output<typeof assignOwnerInput>) {
  authorize(ctx.actor, "api_scopes.manage");
  return transact(ctx, async (tx) => {
    const t = await loadTarget(tx, input.credentialId, { lock: true });
    mustBeLive(t.status);
    const [owner] = await queryRows<{ id: number; name: string; kind: string; status: string }>(
      tx.db,
      sql`
      SELECT id, display_name AS name, kind::text AS kind, status::text AS status FROM identities WHERE id = ${input.ownerId}`,
    );
    if (!owner) throw new Invalid("That person was not found.", { ownerId: ["Not found"] });
    if (owner.kind !== "human")
      throw new Invalid(`${owner.name} is not a person: only a person can answer for a credential.`, {
        ownerId: ["Not a person"],
      });
    if (owner.status !== "active")
      throw new Invalid(`${owner.name} is ${owner.status}: choose an active person.`, { ownerId: ["Not active"] });
    if (t.ownerId === owner.id) throw new Conflict(`${owner.name} already owns it.`);
    await tx.db.execute(sql`UPDATE credentials SET owner_id = ${owner.id} WHERE id = ${t.id}`);
    await writeAudit(tx, {
      action: "api_scope.assign_owner",
      target: { type: "credential", id: t.id, label: t.name },
      before: { ownerId: t.ownerId, owner: t.ownerName },
      after: { ownerId: owner.id, owner: owner.name },
      metadata: { system: t.system.slug, ...(input.reason ? { reason: input.reason } : {}) },
    });
    return { ownerId: owner.id, owner: owner.name };
  });
}

/** Sets (or brings forward) the expiry; it must lie in the future. Lockstep records it; the issuer enforces it. */
export async function setExpiry(ctx: Ctx, input: z.output<typeof setExpiryInput>) {
  authorize(ctx.actor, "api_scopes.manage");
  if (input.expiresAt.getTime() <= ctx.now.getTime())
    throw new Invalid("The expiry must be in the future (to end it now, revoke it).", {
      expiresAt: ["Must be in the future"],
    });
  return transact(ctx, async (tx) => {
    const t = await loadTarget(tx, input.credentialId, { lock: true });
    mustBeLive(t.status);
    await tx.db.execute(
      sql`UPDATE credentials SET expires_at = ${input.expiresAt.toISOString()}::timestamptz WHERE id = ${t.id}`,
    );
    await writeAudit(tx, {
      action: "api_scope.set_expiry",
      target: { type: "credential", id: t.id, label: t.name },
      before: { expiresAt: t.expiresAt?.toISOString() ?? null },
      after: { expiresAt: input.expiresAt.toISOString() },
      metadata: { system: t.system.slug },
    });
    return { expiresAt: input.expiresAt.toISOString() };
  });
}
