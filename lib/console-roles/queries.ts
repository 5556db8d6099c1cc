import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { consoleRoles, departments, identities } from "@/db/schema";
import { authorize, type Role } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { text } from "@/lib/input";
import { type EligiblePerson, searchEligiblePeople } from "@/lib/people/eligible";

export type ConsoleRoleHolder = {
  id: number;
  name: string;
  email: string | null;
  title: string | null;
  department: string | null;
  status: string;
  roles: { role: Role; grantedAt: Date; grantedBy: string | null }[];
  /** Console sessions live now (not ended, not past their absolute end). */
  liveSessions: number;
};

const grantor = alias(identities, "grantor");

/** Everyone holding a console role, by name, with who granted each role and when, and their live sessions. */
export async function listConsoleRoleHolders(ctx: Ctx): Promise<ConsoleRoleHolder[]> {
  authorize(ctx.actor, "roles.manage");
  const rows = await ctx.db
    .select({
      id: identities.id,
      name: identities.displayName,
      email: identities.email,
      title: identities.title,
      department: departments.name,
      status: identities.status,
      role: consoleRoles.role,
      grantedAt: consoleRoles.grantedAt,
      grantedBy: grantor.displayName,
      liveSessions: sql<number>`(SELECT count(*) FROM console_sessions s WHERE s.identity_id = ${identities.id}
        AND s.ended_at IS NULL AND s.expires_at > ${ctx.now.toISOString()}::timestamptz)::int`,
    })
    .from(consoleRoles)
    .innerJoin(identities, eq(identities.id, consoleRoles.identityId))
    .leftJoin(departments, eq(departments.id, identities.departmentId))
    .leftJoin(grantor, eq(grantor.id, consoleRoles.grantedById))
    .orderBy(sql`lower(${identities.displayName})`, asc(identities.id), asc(consoleRoles.role));
  const out: ConsoleRoleHolder[] = [];
  for (const r of rows) {
    let holder = out.at(-1);
    if (holder?.id !== r.id) {
      holder = {
        id: r.id,
        name: r.name,
        email: r.email,
        title: r.title,
        department: r.department,
        status: r.status,
        roles: [],
        liveSessions: Number(r.liveSessions),
      };
      out.push(holder);
    }
    holder.roles.push({ role: r.role, grantedAt: r.grantedAt, grantedBy: r.grantedBy });
  }
  return out;
}

export const candidateSearchInput = z.object({ q: text(100).pipe(z.string().min(2, "Type two letters or more.")) });

/** Who may be given a console role: active people, by name or email. */
export async function searchRoleCandidates(ctx: Ctx, q: string): Promise<EligiblePerson[]> {
  authorize(ctx.actor, "roles.manage");
  return searchEligiblePeople(ctx.db, q, { byEmail: true, limit: 10 });
}

/** The identity with this email (case-insensitive), for the recovery CLI. */
export async function identityByEmail(ctx: Ctx, email: string) {
  authorize(ctx.actor, "roles.manage");
  const [row] = await ctx.db
    .select({ id: identities.id, name: identities.displayName, kind: identities.kind, status: identities.status })
    .from(identities)
    .where(sql`lower(${identities.email}) = ${email.trim().toLowerCase()}`)
    .limit(1);
  return row ?? null;
}
