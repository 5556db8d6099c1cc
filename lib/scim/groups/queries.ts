import "server-only";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { filterToSql } from "../filter-sql";
import type { ListQuery } from "../list";
import type { Doc } from "../resource";
import { GROUP_RESOURCE } from "../schemas";
import { GROUP_COLUMNS, groupDoc, groupNotFound, loadGroupRow, membersOf, pageGroupRows } from "./rows";

/** Whether a response should list members: not when the client excluded them or asked for other attributes only. */
export function wantsMembers(p: Pick<ListQuery, "attributes" | "excludedAttributes">): boolean {
  const named = (t: { attr: { name: string } }) => t.attr.name === "members";
  return !p.excludedAttributes.some(named) && (!p.attributes || p.attributes.some(named));
}

/** `withMembers: false` when the client excluded them (Entra and Okta do, to check a group exists). */
export async function getGroup(ctx: Ctx, input: { id: string; base: string; withMembers: boolean }): Promise<Doc> {
  authorize(ctx.actor, "scim.provision");
  const row = /^\d{1,9}$/.test(input.id) ? await loadGroupRow(ctx.db, Number(input.id)) : null;
  if (!row) throw groupNotFound(input.id);
  const members = input.withMembers ? (await membersOf(ctx.db, [row.id])).get(row.id)! : null;
  return groupDoc(row, input.base, members);
}

export async function listGroups(
  ctx: Ctx,
  input: { query: ListQuery; base: string; withMembers: boolean },
): Promise<{ resources: Doc[]; total: number }> {
  authorize(ctx.actor, "scim.provision");
  const { filter, startIndex, count } = input.query;
  const where = filter ? filterToSql(GROUP_RESOURCE, GROUP_COLUMNS, filter) : undefined;
  const { rows, total } = await pageGroupRows(ctx.db, where, { offset: startIndex - 1, limit: count });
  const members = input.withMembers
    ? await membersOf(
        ctx.db,
        rows.map((r) => r.id),
      )
    : null;
  return { resources: rows.map((r) => groupDoc(r, input.base, members?.get(r.id) ?? null)), total };
}
