import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { consoleRoles, departments, identities } from "@/db/schema";
import type { Role } from "@/lib/authz/roles";

export type ConsoleUser = { id: number; name: string; email: string | null; roles: Role[] };

/**
 * A console user is a human identity holding at least one console role who is active — or a leaver whose access
 * has not ended yet: someone resigning keeps working until the case's effective time, while an involuntary or
 * layoff case ends access the moment it opens. Checked on every request, so a removed role or an effective time
 * that passes ends console access at once.
 */
export async function loadConsoleUser(db: Db, identityId: number, now = new Date()): Promise<ConsoleUser | null> {
  const rows = await db
    .select({ id: identities.id, name: identities.displayName, email: identities.email, role: consoleRoles.role })
    .from(identities)
    .innerJoin(consoleRoles, eq(consoleRoles.identityId, identities.id))
    .where(
      and(
        eq(identities.id, identityId),
        eq(identities.kind, "human"),
        sql`(${identities.status} = 'active' OR (${identities.status} = 'leaver' AND EXISTS (
              SELECT 1 FROM leaver_cases c WHERE c.identity_id = ${identities.id} AND c.status <> 'closed'
                 AND c.reason IN ('voluntary', 'contract_end') AND c.effective_at > ${now.toISOString()}::timestamptz)))`,
      ),
    )
    .orderBy(asc(consoleRoles.role));
  if (rows.length === 0) return null;
  return { id: rows[0].id, name: rows[0].name, email: rows[0].email, roles: rows.map((r) => r.role) };
}

export async function findConsoleUserByEmail(db: Db, email: string): Promise<ConsoleUser | null> {
  const [row] = await db
    .select({ id: identities.id })
    .from(identities)
    .where(and(sql`lower(${identities.email}) = ${email.trim().toLowerCase()}`, eq(identities.kind, "human")))
    .limit(1);
  return row ? loadConsoleUser(db, row.id) : null;
}

export type Persona = {
  id: number;
  name: string;
  email: string | null;
  title: string | null;
  department: string | null;
  roles: Role[];
};

/** Demo sign-in: a few seeded people per console role, one click each. */
export async function listPersonas(db: Db, perRole = 3): Promise<Persona[]> {
  const rows = await db
    .select({
      id: identities.id,
      name: identities.displayName,
      email: identities.email,
      title: identities.title,
      department: departments.name,
      roles: sql<Role[]>`array_agg(${consoleRoles.role}::text ORDER BY ${consoleRoles.role})`,
    })
    .from(identities)
    .innerJoin(consoleRoles, eq(consoleRoles.identityId, identities.id))
    .leftJoin(departments, eq(departments.id, identities.departmentId))
    .where(and(eq(identities.status, "active"), eq(identities.kind, "human")))
    .groupBy(identities.id, departments.name)
    .orderBy(asc(identities.id));
  const picked = new Map<number, Persona>();
  const count = new Map<Role, number>();
  for (const row of rows) {
    for (const role of row.roles) {
      if ((count.get(role) ?? 0) < perRole && !picked.has(row.id)) {
        picked.set(row.id, row);
        count.set(role, (count.get(role) ?? 0) + 1);
      }
    }
  }
  return [...picked.values()];
}

/**
 * Demo sign-in accepts only the people the sign-in page lists: a persona id, never any console user's id (an
 * admin picked by id would be signed in without a credential).
 */
export async function demoPersona(db: Db, identityId: number): Promise<ConsoleUser | null> {
  const listed = await listPersonas(db);
  return listed.some((p) => p.id === identityId) ? loadConsoleUser(db, identityId) : null;
}
