import "server-only";
import { and, asc, count, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { identities, scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import { ScimError } from "../errors";
import { etagOf } from "../etag";
import type { ColumnMap } from "../filter-sql";
import type { Doc } from "../resource";
import { CORE_GROUP } from "../schemas";

const columns = {
  id: scimGroups.id,
  displayName: scimGroups.displayName,
  externalId: scimGroups.externalId,
  createdAt: scimGroups.createdAt,
  updatedAt: scimGroups.updatedAt,
};
export type GroupRow = { id: number; displayName: string; externalId: string | null; createdAt: Date; updatedAt: Date };
export type Member = { id: number; name: string };

export async function loadGroupRow(db: Db, id: number, opts: { lock?: boolean } = {}): Promise<GroupRow | null> {
  const query = db.select(columns).from(scimGroups).where(eq(scimGroups.id, id));
  const [row] = opts.lock ? await query.for("update") : await query;
  return row ?? null;
}

export async function pageGroupRows(
  db: Db,
  where: SQL | undefined,
  page: { offset: number; limit: number },
): Promise<{ rows: GroupRow[]; total: number }> {
  const [[{ total }], rows] = await Promise.all([
    db.select({ total: count() }).from(scimGroups).where(where),
    page.limit === 0
      ? Promise.resolve([])
      : db
          .select(columns)
          .from(scimGroups)
          .where(where)
          .orderBy(asc(scimGroups.id))
          .limit(page.limit)
          .offset(page.offset),
  ]);
  return { rows, total };
}

/** Members of the given groups that are still Users (people the client has not deleted), in id order. */
export async function membersOf(db: Db, groupIds: number[]): Promise<Map<number, Member[]>> {
  const out = new Map<number, Member[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return out;
  const rows = await db
    .select({ groupId: scimGroupMembers.groupId, id: identities.id, name: identities.displayName })
    .from(scimGroupMembers)
    .innerJoin(identities, eq(identities.id, scimGroupMembers.identityId))
    .leftJoin(scimUsers, eq(scimUsers.identityId, identities.id))
    .where(and(inArray(scimGroupMembers.groupId, groupIds), isNull(scimUsers.deletedAt)))
    .orderBy(asc(scimGroupMembers.groupId), asc(identities.id));
  for (const r of rows) out.get(r.groupId)?.push({ id: r.id, name: r.name });
  return out;
}

/**
 * A group as a SCIM Group. Its ETag covers its own columns and `meta.lastModified`, which every membership change
 * moves, so a PATCH of one member does not read all of a 100,000-member group to check `If-Match`.
 */
export function groupDoc(row: GroupRow, base: string, members: Member[] | null): Doc {
  const doc: Doc = {
    schemas: [CORE_GROUP],
    id: String(row.id),
    ...(row.externalId ? { externalId: row.externalId } : {}),
    displayName: row.displayName,
    meta: {
      resourceType: "Group",
      created: row.createdAt.toISOString(),
      lastModified: row.updatedAt.toISOString(),
      location: `${base}/Groups/${row.id}`,
    },
  };
  (doc.meta as Doc).version = etagOf(doc);
  if (members?.length) {
    doc.members = members.map((m) => ({
      value: String(m.id),
      display: m.name,
      $ref: `${base}/Users/${m.id}`,
      type: "User",
    }));
  }
  return doc;
}

export const groupNotFound = (id: string) => new ScimError(404, null, `No Group with id "${id.slice(0, 64)}".`);

/** The attributes a Groups filter may name (lib/scim/filter-sql.ts). */
export const GROUP_COLUMNS: ColumnMap = {
  scalar: {
    id: { type: "id", caseExact: true, sql: sql`${scimGroups.id}` },
    externalid: { type: "string", caseExact: true, sql: sql`${scimGroups.externalId}` },
    displayname: { type: "string", caseExact: false, sql: sql`${scimGroups.displayName}` },
    "meta.created": { type: "dateTime", caseExact: false, sql: sql`${scimGroups.createdAt}` },
    "meta.lastmodified": { type: "dateTime", caseExact: false, sql: sql`${scimGroups.updatedAt}` },
  },
  multi: {
    members: {
      bare: "value",
      sub: {
        value: { type: "id", caseExact: true, sql: sql`gm.identity_id` },
        display: { type: "string", caseExact: false, sql: sql`gmi.display_name` },
      },
      within: (condition) =>
        sql`EXISTS (SELECT 1 FROM scim_group_members gm JOIN identities gmi ON gmi.id = gm.identity_id
                     WHERE gm.group_id = ${scimGroups.id} AND ${condition})`,
    },
  },
};
