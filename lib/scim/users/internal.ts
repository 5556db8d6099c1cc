import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { departments, identities, leaverCases, scimGroupMembers, scimUsers } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import { cancelCaseByProvisioning } from "@/lib/leavers/commands/cancel";
import { openCasesByProvisioning } from "@/lib/leavers/open-cases";
import { invalidValue, ScimError } from "../errors";
import { loadScimLeaverPolicy } from "../policy";
import { canonicalJson } from "../resource";
import { UNASSIGNED_DEPARTMENT, type UserState } from "./doc";

/**
 * The writes behind the Users endpoints, for the guarded services in commands.ts (which authorize the
 * provisioning client first and run these in their transaction). Every change is audited here: a joiner
 * (`people.join`), a changed record (`people.update`), a mover (`people.move`: department or manager), a
 * re-activation; deactivations go through the leaver pillar's own functions.
 */
const clientOf = (tx: Ctx) => (tx.actor.kind === "machine" ? tx.actor.clientId : null);
const source = (tx: Ctx) => ({ source: "scim", client: tx.actor.name });

/** Creates or updates the identity and its SCIM record from `after`; returns the identity id. */
export async function saveUser(
  tx: Ctx,
  input: { identityId: number | null; before: UserState | null; after: UserState; beforeDepartmentId?: number | null },
): Promise<number> {
  const { identityId, before, after } = input;
  await checkUnique(tx, identityId, before, after);
  // Nobody is left outside the department tree (heatmaps, posture snapshots and the dashboard's history are all
  // per department): a User without one is filed under a placeholder department, shown to SCIM as no department.
  const departmentId =
    after.department === null
      ? await departmentFor(tx, UNASSIGNED_DEPARTMENT)
      : before?.department === after.department
        ? (input.beforeDepartmentId ?? null)
        : await departmentFor(tx, after.department);
  if (after.managerId !== null && after.managerId !== before?.managerId)
    await checkManager(tx, identityId, after.managerId);
  const columns = {
    userName: after.userName,
    displayName: after.displayName,
    email: after.email,
    title: after.title,
    employeeNumber: after.employeeNumber,
    departmentId,
    managerId: after.managerId,
    ...(after.employmentType ? { employmentType: after.employmentType } : {}),
    updatedAt: tx.now,
  };
  let id = identityId;
  if (id === null) {
    const [created] = await tx.db
      .insert(identities)
      // A person created inactive has nothing to revoke yet: disabled, no case.
      .values({ ...columns, kind: "human", status: after.active ? "active" : "disabled", createdAt: tx.now })
      .returning({ id: identities.id });
    id = created.id;
  } else if (!before || changedColumns(before, after).length > 0) {
    await tx.db.update(identities).set(columns).where(eq(identities.id, id));
  }
  const scimChanged =
    !before ||
    before.externalId !== after.externalId ||
    canonicalJson(before.attributes) !== canonicalJson(after.attributes);
  if (scimChanged) {
    const scim = {
      externalId: after.externalId,
      attributes: after.attributes,
      clientId: clientOf(tx),
      updatedAt: tx.now,
    };
    await tx.db
      .insert(scimUsers)
      .values({ identityId: id, ...scim, createdAt: tx.now })
      .onConflictDoUpdate({ target: scimUsers.identityId, set: scim });
  }
  const target = { type: "identity", id, label: after.displayName };
  if (!before) {
    const { attributes: _a, ...record } = after;
    await writeAudit(tx, { action: "people.join", target, after: record, metadata: source(tx) });
    return id;
  }
  const changed = changedColumns(before, after).filter((k) => k !== "department" && k !== "managerId");
  if (changed.length) {
    await writeAudit(tx, {
      action: "people.update",
      target,
      before: pick(before, changed),
      after: pick(after, changed),
      metadata: source(tx),
    });
  }
  if (before.department !== after.department || before.managerId !== after.managerId) {
    await writeAudit(tx, {
      action: "people.move",
      target,
      before: { department: before.department, managerId: before.managerId },
      after: { department: after.department, managerId: after.managerId },
      metadata: source(tx),
    });
  }
  return id;
}

type Field = keyof UserState;
const COMPARED: Field[] = [
  "userName",
  "externalId",
  "displayName",
  "email",
  "title",
  "employeeNumber",
  "department",
  "managerId",
  "employmentType",
  "attributes",
];

function changedColumns(before: UserState, after: UserState): Field[] {
  return COMPARED.filter((k) =>
    k === "attributes"
      ? canonicalJson(before.attributes) !== canonicalJson(after.attributes)
      : k === "employmentType"
        ? after.employmentType !== null && after.employmentType !== before.employmentType
        : before[k] !== after[k],
  );
}

const pick = (s: UserState, keys: Field[]) => Object.fromEntries(keys.map((k) => [k, s[k]]));

/** userName (case-insensitively, RFC 7643), email and employee number belong to one person each: 409 uniqueness. */
async function checkUnique(tx: Ctx, self: number | null, before: UserState | null, after: UserState) {
  const others = (condition: ReturnType<typeof sql>) =>
    tx.db
      .select({ id: identities.id })
      .from(identities)
      .where(and(condition, self === null ? undefined : ne(identities.id, self)))
      .limit(1);
  const taken = (what: string) => new ScimError(409, "uniqueness", `Another person already has this ${what}.`);
  if (before?.userName.toLowerCase() !== after.userName.toLowerCase()) {
    const [hit] = await others(
      sql`lower(coalesce(${identities.userName}, ${identities.email})) = ${after.userName.toLowerCase()}`,
    );
    if (hit) throw taken("userName");
  }
  if (after.email && before?.email?.toLowerCase() !== after.email.toLowerCase()) {
    const [hit] = await others(sql`lower(${identities.email}) = ${after.email.toLowerCase()}`);
    if (hit) throw taken("email address");
  }
  if (after.employeeNumber && before?.employeeNumber !== after.employeeNumber) {
    const [hit] = await others(sql`${identities.employeeNumber} = ${after.employeeNumber}`);
    if (hit) throw taken("employeeNumber");
  }
}

/**
 * The department a User names, found by name case-insensitively — or created (top level, code `SCIM-<NAME>`) so
 * a new department in the IdP does not stop provisioning. An admin can later move it in the tree.
 */
async function departmentFor(tx: Ctx, name: string): Promise<number> {
  const [found] = await tx.db
    .select({ id: departments.id })
    .from(departments)
    .where(sql`lower(${departments.name}) = ${name.toLowerCase()}`)
    .limit(1);
  if (found) return found.id;
  const stem = `SCIM-${
    name
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 24) || "DEPT"
  }`;
  const codes = await tx.db
    .select({ code: departments.code })
    .from(departments)
    .where(sql`${departments.code} = ${stem} OR ${departments.code} LIKE ${`${stem}-%`}`);
  const used = new Set(codes.map((c) => c.code));
  let code = stem;
  for (let n = 2; used.has(code); n++) code = `${stem}-${n}`;
  const [created] = await tx.db.insert(departments).values({ name, code }).returning({ id: departments.id });
  await writeAudit(tx, {
    action: "department.create",
    target: { type: "department", id: created.id, label: name },
    after: { name, code },
    metadata: source(tx),
  });
  return created.id;
}

/** A manager is another person in Lockstep, and no one may end up managing themselves up the chain. */
async function checkManager(tx: Ctx, self: number | null, managerId: number) {
  if (self === managerId) throw invalidValue("A person cannot be their own manager.");
  const [m] = await tx.db.select({ kind: identities.kind }).from(identities).where(eq(identities.id, managerId));
  if (m?.kind !== "human") throw invalidValue(`"manager.value" ${managerId} is not a User in Lockstep.`);
  if (self === null) return;
  const [loop] = await queryRows(
    tx.db,
    sql`WITH RECURSIVE chain(id) AS (
          SELECT manager_id FROM identities WHERE id = ${managerId}
          UNION SELECT i.manager_id FROM identities i JOIN chain c ON i.id = c.id)
        SELECT 1 AS loop FROM chain WHERE id = ${self} LIMIT 1`,
    z.object({ loop: z.coerce.number() }),
  );
  if (loop) throw invalidValue("That manager would make a management loop.");
}

/** `active` true → false (or DELETE): a leaver case through the leaver pillar, effective after the grace time. */
export async function deactivate(tx: Ctx, identityId: number): Promise<void> {
  const policy = await loadScimLeaverPolicy(tx.db);
  await openCasesByProvisioning(tx, {
    leavers: [
      {
        identityId,
        reason: policy.reason,
        effectiveAt: new Date(tx.now.getTime() + policy.graceMinutes * 60_000),
        lastDay: null,
      },
    ],
  });
}

/**
 * `active` false → true: an open case is called off (only before it takes effect — else 409, see
 * cancelCaseByProvisioning); a person whose case is closed, or who was created inactive, is active again.
 */
export async function reactivate(tx: Ctx, identityId: number, name: string): Promise<void> {
  const [open] = await tx.db
    .select({ id: leaverCases.id })
    .from(leaverCases)
    .where(and(eq(leaverCases.identityId, identityId), ne(leaverCases.status, "closed")));
  if (open) {
    await cancelCaseByProvisioning(tx, {
      caseId: open.id,
      reason: `Re-activated by provisioning client ${tx.actor.name}`,
    });
    return;
  }
  const updated = await tx.db
    .update(identities)
    .set({ status: "active", updatedAt: tx.now })
    .where(and(eq(identities.id, identityId), ne(identities.status, "active")))
    .returning({ status: identities.status });
  if (updated.length) {
    await writeAudit(tx, {
      action: "people.reactivate",
      target: { type: "identity", id: identityId, label: name },
      after: { status: "active" },
      metadata: source(tx),
    });
  }
}

/**
 * DELETE: the SCIM record is marked deleted (404 from now on) and leaves its groups; the identity stays, for
 * history and its leaver case.
 */
export async function markDeleted(tx: Ctx, identityId: number, name: string): Promise<void> {
  await tx.db.delete(scimGroupMembers).where(eq(scimGroupMembers.identityId, identityId));
  await tx.db
    .insert(scimUsers)
    .values({ identityId, clientId: clientOf(tx), deletedAt: tx.now, createdAt: tx.now, updatedAt: tx.now })
    .onConflictDoUpdate({ target: scimUsers.identityId, set: { deletedAt: tx.now, updatedAt: tx.now } });
  await writeAudit(tx, {
    action: "scim.user_delete",
    target: { type: "identity", id: identityId, label: name },
    metadata: source(tx),
  });
}
