import "server-only";
import { forbidden, notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { auth } from "@/lib/auth";
import { readAuthentication } from "@/lib/auth/authentication";
import { checkConsoleSession } from "@/lib/auth/console-sessions";
import { can, type Permission, type UserActor, userActor } from "@/lib/authz";
import { type Ctx, makeCtx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { loadConsoleUser } from "@/lib/people/console-users";

/**
 * The signed-in console user for this request, re-read from the database (roles and status are live), with
 * how and when they authenticated as recorded at sign-in (the edge checks it against an endpoint's assurance).
 */
export const currentActor = cache(async (): Promise<UserActor | null> => {
  const session = await auth();
  const identityId = session?.identityId;
  // A cookie names a server-side session that must still be live (signed out, ended everywhere, idle or past its
  // absolute lifetime: none of these can be undone by replaying the cookie).
  if (!identityId || !session.sid) return null;
  const db = await getDb();
  if (!(await checkConsoleSession(db, session.sid, identityId, new Date()))) return null;
  const user = await loadConsoleUser(db, identityId);
  return user ? userActor(user.id, user.name, user.roles, user.email, readAuthentication(session.auth)) : null;
});

export async function requireActor(): Promise<UserActor> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in");
  return actor;
}

/** For pages: sign-in redirect when anonymous, the 403 page when the role lacks the permission. */
async function requirePermission(permission: Permission): Promise<UserActor> {
  const actor = await requireActor();
  if (!can(actor, permission)) forbidden();
  return actor;
}

/** For server components: the permission check plus a service context in one call. */
export async function pageContext(permission: Permission): Promise<Ctx> {
  const actor = await requirePermission(permission);
  return makeCtx(actor, await getDb());
}

/** For detail pages: a service's NotFound (missing, or outside the actor's scope) renders the 404 page. */
export async function orNotFound<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (err) {
    if (err instanceof NotFound) notFound();
    throw err;
  }
}
