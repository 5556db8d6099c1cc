import "server-only";
import { and, asc, count, eq, isNull, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { departments, identities, scimUsers } from "@/db/schema";
import type { ColumnMap } from "../filter-sql";
import { ENTERPRISE_USER } from "../schemas";

/** What a SCIM User is made of: the identity, its department and manager, and what the client told us besides. */
const manager = alias(identities, "manager");

const userName = sql<string | null>`coalesce(${identities.userName}, ${identities.email})`;
const lastModified =
  sql<Date>`greatest(${identities.updatedAt}, coalesce(${scimUsers.updatedAt}, ${identities.updatedAt}))`.mapWith(
    identities.updatedAt,
  );

/** The person's groups, in the same query (a lookup by userName is then one round trip). */
const groups = sql<{ id: number; name: string }[]>`(
  SELECT coalesce(json_agg(json_build_object('id', g.id, 'name', g.display_name) ORDER BY g.id), '[]'::json)
    FROM scim_group_members gm JOIN scim_groups g ON g.id = gm.group_id WHERE gm.identity_id = ${identities.id})`.mapWith(
  (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as { id: number; name: string }[],
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

export type UserRow = Awaited<ReturnType<typeof selectUsers>>[number];

/** People, not service accounts; a User the client deleted is gone for SCIM (RFC 7644 §3.6). */
const visible = and(eq(identities.kind, "human"), isNull(scimUsers.deletedAt));

function selectUsers(db: Db, where: SQL | undefined) {
  return db
    .select({ ...columns, groups })
    .from(identities)
    .leftJoin(scimUsers, eq(scimUsers.identityId, identities.id))
    .leftJoin(departments, eq(departments.id, identities.departmentId))
    .leftJoin(manager, eq(manager.id, identities.managerId))
    .where(and(visible, where));
}

/** One User by id (null when there is none, it is not a person, or the client deleted it); `lock` for a write. */
export async function loadUserRow(db: Db, id: number, opts: { lock?: boolean } = {}): Promise<UserRow | null> {
  const query = selectUsers(db, eq(identities.id, id));
  const [row] = opts.lock ? await query.for("update", { of: identities }) : await query;
  return row ?? null;
}

/**
 * A page of Users matching `where`, in id order, and how many match in all — counted only when the page does
 * not say it already (a first page shorter than asked for is everything: the common userName lookup is one query).
 */
export async function pageUserRows(
  db: Db,
  where: SQL | undefined,
  page: { offset: number; limit: number },
): Promise<{ rows: UserRow[]; total: number }> {
  const rows =
    page.limit === 0
      ? []
      : await selectUsers(db, where).orderBy(asc(identities.id)).limit(page.limit).offset(page.offset);
  if (page.offset === 0 && rows.length < page.limit) return { rows, total: rows.length };
  const [{ total }] = await db
    .select({ total: count() })
    .from(identities)
    .leftJoin(scimUsers, eq(scimUsers.identityId, identities.id))
    .leftJoin(departments, eq(departments.id, identities.departmentId))
    .leftJoin(manager, eq(manager.id, identities.managerId))
    .where(and(visible, where));
  return { rows, total };
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
