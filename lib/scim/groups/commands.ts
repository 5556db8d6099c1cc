import "server-only";
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { identities, scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { invalidValue, ScimError } from "../errors";
import { checkIfMatch } from "../etag";
import type { Filter } from "../filter";
import { applyPatch, type PatchOperation, readPatch } from "../patch";
import { type Doc, readResource } from "../resource";
import { GROUP_RESOURCE } from "../schemas";
import { type GroupRow, groupDoc, groupNotFound, loadGroupRow, membersOf } from "./rows";

/**
 * The Groups endpoints' writes. A PATCH that adds or removes particular members (what Entra and Okta send as
 * people are assigned) changes those rows only; anything else (replacing all members, odd paths) reads the
 * members, applies the operations to the whole Group and writes the difference.
 */
type GroupState = { displayName: string; externalId: string | null };
type Write = { id: string; body: unknown; ifMatch: string | null; base: string };

export async function createGroup(ctx: Ctx, input: { body: unknown }): Promise<{ id: number }> {
  authorize(ctx.actor, "scim.provision");
  const doc = readResource(GROUP_RESOURCE, input.body);
  const state = groupState(doc);
  const members = memberIds(doc.members);
  return transact(ctx, async (tx) => {
    await checkName(tx, null, state.displayName);
    const [g] = await tx.db
      .insert(scimGroups)
      .values({ ...state, clientId: clientOf(tx), createdAt: tx.now, updatedAt: tx.now })
      .returning({ id: scimGroups.id });
    const added = await addMembers(tx, g.id, members);
    await writeAudit(tx, {
      action: "scim.group_create",
      target: { type: "scim_group", id: g.id, label: state.displayName },
      after: { ...state, members: added.length },
      metadata: { client: tx.actor.name },
    });
    return { id: g.id };
  });
}

export async function replaceGroup(ctx: Ctx, input: Write): Promise<{ id: number }> {
  authorize(ctx.actor, "scim.provision");
  const doc = readResource(GROUP_RESOURCE, input.body);
  const after = groupState(doc);
  const wanted = memberIds(doc.members);
  return transact(ctx, async (tx) => {
    const row = await locked(tx, input);
    const current = (await membersOf(tx.db, [row.id])).get(row.id)!.map((m) => m.id);
    await save(tx, row, after, {
      add: wanted.filter((id) => !current.includes(id)),
      remove: current.filter((id) => !wanted.includes(id)),
    });
    return { id: row.id };
  });
}

export async function patchGroup(ctx: Ctx, input: Write): Promise<{ id: number }> {
  authorize(ctx.actor, "scim.provision");
  const operations = readPatch(input.body);
  return transact(ctx, async (tx) => {
    const row = await locked(tx, input);
    const bare = groupDoc(row, input.base, null);
    const incremental = incrementalMembers(operations);
    if (incremental) {
      const others = operations.filter((op) => !touchesMembers(op));
      const patched = others.length ? applyPatch(GROUP_RESOURCE, bare, others) : bare;
      await save(tx, row, groupState(patched), incremental);
    } else {
      const current = (await membersOf(tx.db, [row.id])).get(row.id)!;
      const patched = applyPatch(GROUP_RESOURCE, groupDoc(row, input.base, current), operations);
      const wanted = memberIds(patched.members);
      const ids = current.map((m) => m.id);
      await save(tx, row, groupState(patched), {
        add: wanted.filter((id) => !ids.includes(id)),
        remove: ids.filter((id) => !wanted.includes(id)),
      });
    }
    return { id: row.id };
  });
}

export async function deleteGroup(ctx: Ctx, input: Omit<Write, "body">): Promise<void> {
  authorize(ctx.actor, "scim.provision");
  await transact(ctx, async (tx) => {
    const row = await locked(tx, input);
    await tx.db.delete(scimGroups).where(eq(scimGroups.id, row.id));
    await writeAudit(tx, {
      action: "scim.group_delete",
      target: { type: "scim_group", id: row.id, label: row.displayName },
      before: { displayName: row.displayName, externalId: row.externalId },
      metadata: { client: tx.actor.name },
    });
  });
}

const clientOf = (tx: Ctx) => (tx.actor.kind === "machine" ? tx.actor.clientId : null);

async function locked(tx: Ctx, input: Omit<Write, "body">): Promise<GroupRow> {
  const row = /^\d{1,9}$/.test(input.id) ? await loadGroupRow(tx.db, Number(input.id), { lock: true }) : null;
  if (!row) throw groupNotFound(input.id);
  checkIfMatch(input.ifMatch, (groupDoc(row, input.base, null).meta as Doc).version as string);
  return row;
}

function groupState(doc: Doc): GroupState {
  const displayName = typeof doc.displayName === "string" ? doc.displayName.trim() : "";
  if (!displayName) throw invalidValue('"displayName" is required.');
  if (displayName.length > 256) throw invalidValue('"displayName" is longer than 256 characters.');
  const externalId = typeof doc.externalId === "string" && doc.externalId.trim() ? doc.externalId.trim() : null;
  return { displayName, externalId };
}

/** Member values are User ids. */
function memberIds(members: unknown): number[] {
  const ids = new Set<number>();
  for (const m of (members as Doc[] | undefined) ?? []) {
    const v = String(m.value ?? "");
    if (!/^\d{1,9}$/.test(v)) throw invalidValue(`Member "${v.slice(0, 64)}" is not the id of a User.`);
    ids.add(Number(v));
  }
  return [...ids];
}

const touchesMembers = (op: PatchOperation) => op.path?.attr.toLowerCase() === "members" && !op.path.uri;

/** The members a PATCH adds and removes, when it names them one by one; null when it does anything else to them. */
function incrementalMembers(operations: readonly PatchOperation[]): { add: number[]; remove: number[] } | null {
  const add = new Set<number>();
  const remove = new Set<number>();
  for (const op of operations) {
    if (!op.path) {
      if (op.value && typeof op.value === "object" && Object.keys(op.value).some((k) => /^members/i.test(k)))
        return null;
      continue;
    }
    if (!touchesMembers(op)) continue;
    if (op.path.sub) return null;
    let ids: number[] | null = null;
    if (op.op === "add" && !op.path.filter) ids = memberIds(Array.isArray(op.value) ? op.value : [op.value]);
    else if (op.op === "remove" && !op.path.filter && op.value != null) {
      ids = memberIds(Array.isArray(op.value) ? op.value : [op.value]);
    } else if (op.op === "remove" && op.path.filter) ids = valuesNamed(op.path.filter);
    if (!ids) return null;
    for (const id of ids) {
      (op.op === "add" ? remove : add).delete(id);
      (op.op === "add" ? add : remove).add(id);
    }
  }
  return { add: [...add], remove: [...remove] };
}

/** `value eq "1" or value eq "2"` → [1, 2]; null for any other filter. */
function valuesNamed(f: Filter): number[] | null {
  if (f.kind === "or") {
    const l = valuesNamed(f.left);
    const r = valuesNamed(f.right);
    return l && r ? [...l, ...r] : null;
  }
  if (f.kind !== "compare" || f.op !== "eq" || f.path.attr.toLowerCase() !== "value" || f.path.sub) return null;
  return /^\d{1,9}$/.test(String(f.value)) ? [Number(f.value)] : [];
}

async function checkName(tx: Ctx, self: number | null, displayName: string) {
  const [hit] = await tx.db
    .select({ id: scimGroups.id })
    .from(scimGroups)
    .where(
      and(
        sql`lower(${scimGroups.displayName}) = ${displayName.toLowerCase()}`,
        self === null ? undefined : ne(scimGroups.id, self),
      ),
    )
    .limit(1);
  if (hit) throw new ScimError(409, "uniqueness", "Another Group already has this displayName.");
}

/** Adds the Users as members (those already in are left); every id must be a User. */
async function addMembers(tx: Ctx, groupId: number, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const known = await tx.db
    .select({ id: identities.id })
    .from(identities)
    .leftJoin(scimUsers, eq(scimUsers.identityId, identities.id))
    .where(and(inArray(identities.id, ids), eq(identities.kind, "human"), isNull(scimUsers.deletedAt)));
  const found = new Set(known.map((k) => k.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw invalidValue(`Member "${missing}" is not the id of a User.`);
  const added = await tx.db
    .insert(scimGroupMembers)
    .values(ids.map((identityId) => ({ groupId, identityId })))
    .onConflictDoNothing()
    .returning({ id: scimGroupMembers.identityId });
  return added.map((a) => a.id);
}

async function save(tx: Ctx, row: GroupRow, after: GroupState, members: { add: number[]; remove: number[] }) {
  const renamed = after.displayName !== row.displayName;
  if (renamed) await checkName(tx, row.id, after.displayName);
  const added = await addMembers(tx, row.id, members.add);
  const removed = members.remove.length
    ? (
        await tx.db
          .delete(scimGroupMembers)
          .where(and(eq(scimGroupMembers.groupId, row.id), inArray(scimGroupMembers.identityId, members.remove)))
          .returning({ id: scimGroupMembers.identityId })
      ).map((r) => r.id)
    : [];
  const fieldsChanged = renamed || after.externalId !== row.externalId;
  if (!fieldsChanged && added.length === 0 && removed.length === 0) return;
  await tx.db
    .update(scimGroups)
    .set({ ...after, updatedAt: tx.now })
    .where(eq(scimGroups.id, row.id));
  await writeAudit(tx, {
    action: "scim.group_update",
    target: { type: "scim_group", id: row.id, label: after.displayName },
    before: fieldsChanged ? { displayName: row.displayName, externalId: row.externalId } : undefined,
    after: {
      ...(fieldsChanged ? after : {}),
      ...(added.length ? { added: added.slice(0, 100), addedCount: added.length } : {}),
      ...(removed.length ? { removed: removed.slice(0, 100), removedCount: removed.length } : {}),
    },
    metadata: { client: tx.actor.name },
  });
}
