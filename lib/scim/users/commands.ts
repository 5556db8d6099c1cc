import "server-only";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { checkIfMatch } from "../etag";
import { applyPatch, readPatch } from "../patch";
import type { Doc } from "../resource";
import { USER_RESOURCE } from "../schemas";
import { readUser, type UserState, userDoc, userNotFound, userState } from "./doc";
import { deactivate, markDeleted, reactivate, saveUser } from "./internal";
import { loadUserRow, type UserRow } from "./rows";

/**
 * The Users endpoints' writes (RFC 7644 §3.3, §3.5, §3.6), each one transaction for the provisioning client:
 * POST creates a joiner; PUT replaces and PATCH changes a person's record (`If-Match` checked against the
 * current ETag under a row lock: 412 when it moved on); `active` false or DELETE opens a leaver case,
 * `active` true calls it off before it takes effect. Each returns the id to read the User back by.
 */
type Write = { id: string; body: unknown; ifMatch: string | null; base: string };

export async function createUser(ctx: Ctx, input: { body: unknown }): Promise<{ id: number }> {
  authorize(ctx.actor, "scim.provision");
  const after = userState(readUser(input.body), true);
  return transact(ctx, async (tx) => ({ id: await saveUser(tx, { identityId: null, before: null, after }) }));
}

export async function replaceUser(ctx: Ctx, input: Write): Promise<{ id: number }> {
  authorize(ctx.actor, "scim.provision");
  const doc = readUser(input.body);
  return transact(ctx, async (tx) => {
    const { row, current } = await locked(tx, input);
    const before = userState(current, row.status === "active");
    // A PUT without `active` leaves the person's status alone rather than re-activating or deactivating them.
    await apply(tx, row, before, userState(doc, before.active));
    return { id: row.id };
  });
}

export async function patchUser(ctx: Ctx, input: Write): Promise<{ id: number }> {
  authorize(ctx.actor, "scim.provision");
  const operations = readPatch(input.body);
  return transact(ctx, async (tx) => {
    const { row, current } = await locked(tx, input);
    const before = userState(current, row.status === "active");
    await apply(tx, row, before, userState(applyPatch(USER_RESOURCE, current, operations), before.active));
    return { id: row.id };
  });
}

/** DELETE: a leaver case for an active person, and the User answers 404 from now on (the identity stays). */
export async function deleteUser(ctx: Ctx, input: Omit<Write, "body">): Promise<void> {
  authorize(ctx.actor, "scim.provision");
  await transact(ctx, async (tx) => {
    const { row } = await locked(tx, input);
    if (row.status === "active") await deactivate(tx, row.id);
    await markDeleted(tx, row.id, row.displayName);
  });
}

/** The User's row, locked for this write, after its `If-Match` passed. */
async function locked(tx: Ctx, input: Omit<Write, "body">): Promise<{ row: UserRow; current: Doc }> {
  const row = /^\d{1,9}$/.test(input.id) ? await loadUserRow(tx.db, Number(input.id), { lock: true }) : null;
  if (!row) throw userNotFound(input.id);
  const current = userDoc(row, input.base);
  checkIfMatch(input.ifMatch, (current.meta as Doc).version as string);
  return { row, current };
}

async function apply(tx: Ctx, row: UserRow, before: UserState, after: UserState): Promise<void> {
  // Re-activation first: when it is refused (the case already took effect), nothing else changes either.
  if (!before.active && after.active) await reactivate(tx, row.id, after.displayName);
  await saveUser(tx, { identityId: row.id, before, after, beforeDepartmentId: row.departmentId });
  if (before.active && !after.active) await deactivate(tx, row.id);
}
