import "server-only";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { filterToSql } from "../filter-sql";
import type { ListQuery } from "../list";
import type { Doc } from "../resource";
import { USER_RESOURCE } from "../schemas";
import { userDoc, userNotFound } from "./doc";
import { loadUserRow, pageUserRows, USER_COLUMNS } from "./rows";

export async function getUser(ctx: Ctx, input: { id: string; base: string }): Promise<Doc> {
  authorize(ctx.actor, "scim.provision");
  const row = /^\d{1,9}$/.test(input.id) ? await loadUserRow(ctx.db, Number(input.id)) : null;
  if (!row) throw userNotFound(input.id);
  return userDoc(row, input.base);
}

/** A page of Users (id order) matching the filter, translated to SQL over the whitelisted attributes. */
export async function listUsers(
  ctx: Ctx,
  input: { query: ListQuery; base: string },
): Promise<{ resources: Doc[]; total: number }> {
  authorize(ctx.actor, "scim.provision");
  const { filter, startIndex, count } = input.query;
  const where = filter ? filterToSql(USER_RESOURCE, USER_COLUMNS, filter) : undefined;
  const { rows, total } = await pageUserRows(ctx.db, where, { offset: startIndex - 1, limit: count });
  return { resources: rows.map((r) => userDoc(r, input.base)), total };
}
