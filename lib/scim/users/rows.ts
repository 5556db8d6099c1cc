import "server-only";
import { and, asc, count, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { departments, identities, scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import type { ColumnMap } from "../filter-sql";
import { ENTERPRISE_USER } from "../schemas";

/** What a SCIM User is made of: the identity, its department and manager, and what the client told us besides. */
const manager = alias(identities, "manager");

const userName = sql<string | null>`coalesce(${identities.userName}, ${identities.email})`;
const lastModified =
  sql<Date>`greatest(${identities.updatedAt}, coalesce(${scimUsers.updatedAt}, ${identities.updatedAt}))`.mapWith(
    identities.updatedAt,
  );

const columns = {
  id: identities.id,
  userName,
  email: identities.email,
  displayName: identities.displayName,
  status: identities.status,
  title: identities.title,
  employeeNumber: identities.employeeNumber,
  employmentType: identities.employmentType,
  departmentId: identities.departmentId,
  department: departments.name,
  managerId: identities.managerId,
  managerName: manager.displayName,
  externalId: scimUsers.externalId,
  attributes: scimUsers.attributes,
  createdAt: identities.createdAt,
  lastModified,
};

export type UserRow = Awaited<ReturnType<typeof selectUsers>>[number] & { groups: { id: number; name: string }[] };

/** People, not service accounts; a User the client deleted is gone for SCIM (RFC 7644 §3.6). */
const visible = and(eq(identities.kind, "human"), isNull(scimUsers.deletedAt));

function selectUsers(db: Db, where: SQL | undefined) {
  return db
    .select(columns)
    .from(identities)
    .leftJoin(scimUsers, eq(scimUsers.identityId, identities.id))
    .leftJoin(departments, eq(departments.id, identities.departmentId))
    .leftJoin(manager, eq(manager.id, identities.managerId))
    .where(and(visible, where));
}

async function withGroups(db: Db, rows: Awaited<ReturnType<typeof selectUsers>>): Promise<UserRow[]> {
  if (rows.length === 0) return [];
  const memberships = await db
    .select({ identityId: scimGroupMembers.identityId, id: scimGroups.id, name: scimGroups.displayName })
    .from(scimGroupMembers)
    .innerJoin(scimGroups, eq(scimGroups.id, scimGroupMembers.groupId))
    .where(
      inArray(
        scimGroupMembers.identityId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(scimGroups.id));
  return rows.map((r) => ({
    ...r,
    groups: memberships.filter((m) => m.identityId === r.id).map(({ id, name }) => ({ id, name })),
  }));
}

/** One User by id (null when there is none, it is not a person, or the client deleted it); `lock` for a write. */
export async function loadUserRow(db: Db, id: number, opts: { lock?: boolean } = {}): Promise<UserRow | null> {
  const query = selectUsers(db, eq(identities.id, id));
  const rows = opts.lock ? await query.for("update", { of: identities }) : await query;
  return (await withGroups(db, rows))[0] ?? null;
}

/** A page of Users matching `where`, in id order, and how many match in all. */
export async function pageUserRows(
  db: Db,
  where: SQL | undefined,
  page: { offset: number; limit: number },
): Promise<{ rows: UserRow[]; total: number }> {
  const [[{ total }], rows] = await Promise.all([
    db
      .select({ total: count() })
      .from(identities)
      .leftJoin(scimUsers, eq(scimUsers.identityId, identities.id))
      .leftJoin(departments, eq(departments.id, identities.departmentId))
      .leftJoin(manager, eq(manager.id, identities.managerId))
      .where(and(visible, where)),
    page.limit === 0
      ? Promise.resolve([])
      : selectUsers(db, where).orderBy(asc(identities.id)).limit(page.limit).offset(page.offset),
  ]);
  return { rows: await withGroups(db, rows), total };
}

const ENT = `${ENTERPRISE_USER.toLowerCase()}:`;
const attribute = (...keys: string[]) =>
  sql.join(
    [sql`${scimUsers.attributes}`, ...keys.map((k, i) => sql.raw(`${i === keys.length - 1 ? "->>" : "->"}'${k}'`))],
    sql``,
  );
const hasEmail = sql`${identities.email} IS NOT NULL`;

/** The attributes a Users filter may name, and the SQL each reads (lib/scim/filter-sql.ts). */
export const USER_COLUMNS: ColumnMap = {
  scalar: {
    id: { type: "id", caseExact: true, sql: sql`${identities.id}` },
    externalid: { type: "string", caseExact: true, sql: sql`${scimUsers.externalId}` },
    username: { type: "string", caseExact: false, sql: userName },
    displayname: { type: "string", caseExact: false, sql: sql`${identities.displayName}` },
    title: { type: "string", caseExact: false, sql: sql`${identities.title}` },
    usertype: {
      type: "string",
      caseExact: false,
      sql: sql`coalesce(${attribute("userType")}, ${identities.employmentType}::text)`,
    },
    active: { type: "boolean", caseExact: false, sql: sql`(${identities.status} = 'active')` },
    "name.givenname": { type: "string", caseExact: false, sql: attribute("name", "givenName") },
    "name.familyname": { type: "string", caseExact: false, sql: attribute("name", "familyName") },
    "name.formatted": { type: "string", caseExact: false, sql: attribute("name", "formatted") },
    "meta.created": { type: "dateTime", caseExact: false, sql: sql`${identities.createdAt}` },
    "meta.lastmodified": { type: "dateTime", caseExact: false, sql: lastModified },
    [`${ENT}employeenumber`]: { type: "string", caseExact: false, sql: sql`${identities.employeeNumber}` },
    [`${ENT}department`]: { type: "string", caseExact: false, sql: sql`${departments.name}` },
    [`${ENT}costcenter`]: {
      type: "string",
      caseExact: false,
      sql: attribute(ENTERPRISE_USER, "costCenter"),
    },
    [`${ENT}organization`]: {
      type: "string",
      caseExact: false,
      sql: attribute(ENTERPRISE_USER, "organization"),
    },
    [`${ENT}division`]: { type: "string", caseExact: false, sql: attribute(ENTERPRISE_USER, "division") },
    [`${ENT}manager.value`]: { type: "id", caseExact: true, sql: sql`${identities.managerId}` },
    [`${ENT}manager.displayname`]: { type: "string", caseExact: false, sql: sql`${manager.displayName}` },
  },
  multi: {
    // One email per person in Lockstep (the work address): filters on emails read it.
    emails: {
      bare: "value",
      sub: {
        value: { type: "string", caseExact: false, sql: sql`${identities.email}` },
        type: { type: "string", caseExact: false, sql: sql`CASE WHEN ${hasEmail} THEN 'work' END` },
        primary: { type: "boolean", caseExact: false, sql: sql`CASE WHEN ${hasEmail} THEN true END` },
      },
    },
    groups: {
      bare: "value",
      sub: {
        value: { type: "id", caseExact: true, sql: sql`ug.group_id` },
        display: { type: "string", caseExact: false, sql: sql`ugg.display_name` },
      },
      within: (condition) =>
        sql`EXISTS (SELECT 1 FROM scim_group_members ug JOIN scim_groups ugg ON ugg.id = ug.group_id
                     WHERE ug.identity_id = ${identities.id} AND ${condition})`,
    },
  },
};
