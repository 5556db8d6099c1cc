import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { consoleRoles, identities } from "@/db/schema";
import { type Role, type UserActor, userActor } from "@/lib/authz";
import { type Ctx, makeCtx } from "@/lib/context";
import { loadConsoleUser } from "@/lib/people/console-users";
import { TEST_NOW } from "./env";

/** An actor holding exactly the given roles (identity taken from a seeded console user of the first role). */
export async function actorWith(db: Db, roles: Role[]): Promise<UserActor> {
  const [row] = await db
    .select({ id: identities.id, name: identities.displayName, email: identities.email })
    .from(identities)
    .innerJoin(consoleRoles, eq(consoleRoles.identityId, identities.id))
    .where(and(eq(consoleRoles.role, roles[0] ?? "analyst"), eq(identities.status, "active")))
    .orderBy(asc(identities.id))
    .limit(1);
  if (!row) throw new Error(`no seeded console user with role ${roles[0]}`);
  return userActor(row.id, row.name, roles, row.email);
}

export async function ctxAs(db: Db, roles: Role[], now = TEST_NOW): Promise<Ctx> {
  return makeCtx(await actorWith(db, roles), db, now);
}

export const asAnalyst = (db: Db) => ctxAs(db, ["analyst"]);
export const asAdmin = (db: Db) => ctxAs(db, ["admin"]);
export const asExecutive = (db: Db) => ctxAs(db, ["executive"]);
export const asApprover = (db: Db) => ctxAs(db, ["approver"]);

/** A manager actor for a specific seeded person. */
export async function asManager(db: Db, identityId: number): Promise<Ctx> {
  const [row] = await db.select().from(identities).where(eq(identities.id, identityId));
  return makeCtx(userActor(row.id, row.displayName, ["manager"], row.email), db, TEST_NOW);
}

/** The id of a seeded identity by display name (the demo personas: "Maya Patel", "Avery Chen" …). */
export async function identityIdByName(db: Db, name: string): Promise<number> {
  const rows = await db.select({ id: identities.id }).from(identities).where(eq(identities.displayName, name));
  if (rows.length !== 1) throw new Error(`expected one seeded identity named ${name}, found ${rows.length}`);
  return rows[0].id;
}

/** A seeded console user as they sign in: their own id and exactly the roles the database gives them. */
export async function actorByName(db: Db, name: string): Promise<UserActor> {
  const user = await loadConsoleUser(db, await identityIdByName(db, name));
  if (!user) throw new Error(`${name} is not an active console user in the seed`);
  return userActor(user.id, user.name, user.roles, user.email);
}

export async function ctxByName(db: Db, name: string, now = TEST_NOW): Promise<Ctx> {
  return makeCtx(await actorByName(db, name), db, now);
}

/** The same context after a passkey step-up at its `now` (for services that need STEP_UP, e.g. an early close). */
export function steppedUp(ctx: Ctx): Ctx {
  if (ctx.actor.kind !== "user") return ctx;
  const auth = ctx.actor.auth ?? { method: "demo" as const, acr: null, amr: [], authTime: ctx.now };
  return { ...ctx, actor: { ...ctx.actor, auth: { ...auth, stepUpAt: ctx.now } } };
}
