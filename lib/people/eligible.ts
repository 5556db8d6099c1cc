import "server-only";
import { and, asc, eq, exists, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { consoleRoles, departments, identities } from "@/db/schema";
import type { Role } from "@/lib/authz/roles";
import { containsPattern } from "@/lib/sql-like";

/**
 * The one rule for who may own something or be assigned work: an active human identity (not a leaver, not
 * disabled, not a service account or API client). Console work additionally needs one of the given roles.
 */
export function eligiblePerson(opts: { roles?: readonly Role[] } = {}): SQL {
  const base = and(eq(identities.kind, "human"), eq(identities.status, "active"))!;
  if (!opts.roles?.length) return base;
  const holds = exists(
    sql`(SELECT 1 FROM ${consoleRoles} WHERE ${consoleRoles.identityId} = ${identities.id}
           AND ${inArray(consoleRoles.role, [...opts.roles])})`,
  );
  return and(base, holds)!;
}

/** The same rule for set-based raw SQL, on an `identities` row aliased `alias`. */
export function eligibleIn(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`(${a}.kind = 'human' AND ${a}.status = 'active')`;
}

/** Console roles whose holders work leaver cases (a case is assigned to one of them). */
export const CASE_WORKER_ROLES = ["analyst", "admin"] as const satisfies readonly Role[];

/** Console roles whose holders decide access reviews (reviews.decide). */
export const REVIEWER_ROLES = ["manager", "analyst", "admin"] as const satisfies readonly Role[];

/** An eligible person who can also sign in to review (holds a reviewer role), on an `identities` row aliased `alias`. */
export function reviewerIn(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`(${eligibleIn(alias)} AND EXISTS (SELECT 1 FROM console_roles cr_${a} WHERE cr_${a}.identity_id = ${a}.id
                AND cr_${a}.role IN ('manager', 'analyst', 'admin')))`;
}

export type EligiblePerson = {
  id: number;
  name: string;
  email: string | null;
  title: string | null;
  department: string | null;
};

const columns = {
  id: identities.id,
  name: identities.displayName,
  email: identities.email,
  title: identities.title,
  department: departments.name,
};

/** The person, if eligible (else null). */
export async function loadEligiblePerson(
  db: Db,
  id: number,
  opts: { roles?: readonly Role[] } = {},
): Promise<EligiblePerson | null> {
  const [row] = await db
    .select(columns)
    .from(identities)
    .leftJoin(departments, eq(departments.id, identities.departmentId))
    .where(and(eq(identities.id, id), eligiblePerson(opts)));
  return row ?? null;
}

/**
 * Eligible people whose name (or email) contains the query, alphabetically. `scope` is the caller's WHERE-clause
 * scope on identities (a manager's team), from lib/authz.
 */
export async function searchEligiblePeople(
  db: Db,
  q: string,
  opts: { scope?: SQL; roles?: readonly Role[]; byEmail?: boolean; limit?: number } = {},
): Promise<EligiblePerson[]> {
  const like = containsPattern(q);
  const match = opts.byEmail
    ? sql`(lower(${identities.displayName}) LIKE ${like} OR lower(coalesce(${identities.email}, '')) LIKE ${like})`
    : sql`lower(${identities.displayName}) LIKE ${like}`;
  return db
    .select(columns)
    .from(identities)
    .leftJoin(departments, eq(departments.id, identities.departmentId))
    .where(and(eligiblePerson(opts), match, opts.scope))
    .orderBy(sql`lower(${identities.displayName})`, asc(identities.id))
    .limit(opts.limit ?? 10);
}
