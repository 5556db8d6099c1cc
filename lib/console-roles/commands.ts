import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { consoleRoles, identities } from "@/db/schema";
import { consoleRole } from "@/db/schema/enums";
import { writeAudit } from "@/lib/audit";
import { endSessionsOf } from "@/lib/auth/console-sessions.internal";
import { authorize, ROLE_LABELS } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import { id } from "@/lib/input";
import { lockActiveAdmins } from "./admins.internal";

export const roleChangeInput = z.object({ identityId: id, role: z.enum(consoleRole.enumValues) });
export type RoleChangeInput = z.infer<typeof roleChangeInput>;

async function person(tx: Ctx, identityId: number) {
  const [p] = await tx.db
    .select({ id: identities.id, name: identities.displayName, kind: identities.kind, status: identities.status })
    .from(identities)
    .where(eq(identities.id, identityId))
    .for("update");
  if (!p) throw new NotFound("The person");
  return p;
}

/**
 * Gives a person a console role. Only an active human may hold one (a leaver, a disabled identity or a service
 * account never signs in). Takes effect on their next request: roles are read from `console_roles` on each.
 */
export async function grantConsoleRole(ctx: Ctx, input: RoleChangeInput) {
  authorize(ctx.actor, "roles.manage");
  return transact(ctx, async (tx) => {
    const p = await person(tx, input.identityId);
    if (p.kind !== "human") throw new Invalid(`${p.name} is not a person: console roles are for people only.`);
    if (p.status !== "active") throw new Invalid(`${p.name} is not active (${p.status}): they cannot be given a role.`);
    const added = await tx.db
      .insert(consoleRoles)
      .values({
        identityId: p.id,
        role: input.role,
        grantedById: tx.actor.kind === "user" ? tx.actor.id : null,
        grantedAt: tx.now,
      })
      .onConflictDoNothing()
      .returning({ role: consoleRoles.role });
    if (added.length === 0) throw new Conflict(`${p.name} already holds the ${ROLE_LABELS[input.role]} role.`);
    await writeAudit(tx, {
      action: "console_role.grant",
      target: { type: "identity", id: p.id, label: p.name },
      after: { role: input.role },
    });
    return { identityId: p.id, name: p.name, role: input.role };
  });
}

/**
 * Takes a console role away. It takes effect at once: every console session of the person ends in the same
 * transaction (they sign in again with what they still hold). The last active administrator keeps the admin
 * role — removing it would leave nobody able to administer the installation (409).
 */
export async function removeConsoleRole(ctx: Ctx, input: RoleChangeInput) {
  authorize(ctx.actor, "roles.manage");
  return transact(ctx, async (tx) => {
    const p = await person(tx, input.identityId);
    if (input.role === "admin") {
      const admins = await lockActiveAdmins(tx);
      if (admins.length === 1 && admins[0] === p.id)
        throw new Conflict(
          `${p.name} is the last active administrator: give another person the Administrator role first.`,
        );
    }
    const removed = await tx.db
      .delete(consoleRoles)
      .where(and(eq(consoleRoles.identityId, p.id), eq(consoleRoles.role, input.role)))
      .returning({ grantedAt: consoleRoles.grantedAt });
    if (removed.length === 0) throw new Conflict(`${p.name} does not hold the ${ROLE_LABELS[input.role]} role.`);
    const sessionsEnded = await endSessionsOf(tx, [p.id], "role_removed");
    await writeAudit(tx, {
      action: "console_role.remove",
      target: { type: "identity", id: p.id, label: p.name },
      before: { role: input.role, grantedAt: removed[0].grantedAt.toISOString() },
      after: { sessionsEnded },
    });
    return { identityId: p.id, name: p.name, role: input.role, sessionsEnded };
  });
}
