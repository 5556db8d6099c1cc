import "server-only";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { credentials, identities } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid } from "@/lib/errors";
import { loadEligiblePerson } from "@/lib/people/eligible";
import type { assignOwnerInput, setExpiryInput } from "../schemas";
import { loadTarget } from "./load";

// Changes to Lockstep's record of a credential. Each authorizes first, locks the row, writes the change and its
// audit event in one transaction (the rollup follows by trigger in the same transaction).

function mustBeLive(status: string): void {
  if (status !== "active") throw new Conflict(`This credential is ${status}: there is nothing to change.`);
}

/** Why someone lib/people/eligible.ts turned down cannot own a credential, in words for the form. */
async function whyNotOwner(db: Db, id: number): Promise<Invalid> {
  const [who] = await db
    .select({ name: identities.displayName, kind: identities.kind, status: identities.status })
    .from(identities)
    .where(eq(identities.id, id));
  if (!who) return new Invalid("That person was not found.", { ownerId: ["Not found"] });
  if (who.kind !== "human") {
    return new Invalid(`${who.name} is not a person: only a person can answer for a credential.`, {
      ownerId: ["Not a person"],
    });
  }
  return new Invalid(`${who.name} is ${who.status}: choose an active person.`, { ownerId: ["Not active"] });
}

/** Names the accountable human: an active person (a non-human identity or a leaver cannot answer for it). */
export async function assignOwner(ctx: Ctx, input: z.output<typeof assignOwnerInput>) {
  authorize(ctx.actor, "api_scopes.manage");
  return transact(ctx, async (tx) => {
    const t = await loadTarget(tx, input.credentialId, { lock: true });
    mustBeLive(t.status);
    const owner = await loadEligiblePerson(tx.db, input.ownerId);
    if (!owner) throw await whyNotOwner(tx.db, input.ownerId);
    if (t.ownerId === owner.id) throw new Conflict(`${owner.name} already owns it.`);
    await tx.db.update(credentials).set({ ownerId: owner.id }).where(eq(credentials.id, t.id));
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
    await tx.db.update(credentials).set({ expiresAt: input.expiresAt }).where(eq(credentials.id, t.id));
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
