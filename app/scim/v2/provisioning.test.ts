import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { ENTERPRISE_USER, PATCH_OP } from "@/lib/scim/schemas";
import { identityIdByName } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { filterQuery, provisioningToken, type ScimCall, scimClient } from "@/lib/testing/scim-client";
import { rowsOf } from "@/lib/testing/sql";

/**
 * The done-when of inbound SCIM: a client acting as Okta's and as Entra's provisioning creates, updates,
 * deactivates (a leaver case opens), re-activates (the case is called off) and deletes users, each in its own
 * PATCH style, through the route handlers and the real bearer-token lookup. Requests commit (as a real client's
 * do), so every user here has a fresh userName.
 */
process.env.LOCKSTEP_SCIM_RATE = "100000";

let db: Db;
let okta: ScimCall;
let entra: ScimCall;
let managerId: number;
const run = randomUUID().slice(0, 8);
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";

beforeAll(async () => {
  db = await testDb();
  okta = scimClient((await provisioningToken(db, `Okta ${run}`)).token);
  entra = scimClient((await provisioningToken(db, `Entra ${run}`)).token);
  managerId = await identityIdByName(db, "Maya Patel");
});

const caseOf = async (identityId: number) =>
  rowsOf(
    db,
    sql`SELECT id, status::text, cancelled_at IS NOT NULL AS cancelled, tasks_total AS tasks, tasks_waived AS waived, reason::text
          FROM leaver_cases WHERE identity_id = ${identityId} ORDER BY id`,
    { id: col.num, status: col.text, cancelled: col.bool, tasks: col.num, waived: col.num, reason: col.text },
  );
const events = async (targetType: string, id: number | string) =>
  (
    await rowsOf(
      db,
      sql`SELECT action, metadata FROM audit_events WHERE target_type = ${targetType} AND target_id = ${String(id)} ORDER BY id`,
      { action: col.text, metadata: z.unknown() },
    )
  ).map((e) => e.action);
const identity = async (id: number) =>
  (
    await rowsOf(
      db,
      sql`SELECT i.status::text, i.email, d.name AS department, i.manager_id, i.title
            FROM identities i LEFT JOIN departments d ON d.id = i.department_id WHERE i.id = ${id}`,
      {
        status: col.text,
        email: col.textOrNull,
        department: col.textOrNull,
        manager_id: col.numOrNull,
        title: col.textOrNull,
      },
    )
  )[0];

describe("as Okta's provisioning", () => {
  it("looks the user up, creates them, updates with PUT, deactivates and re-activates with PATCH, deletes", async () => {
    const userName = `Okta.User.${run}@example.com`;
    // Okta first asks whether the user exists.
    const lookup = await okta("GET", `/Users${filterQuery(`userName eq "${userName}"`, "&startIndex=1&count=100")}`);
    expect(lookup.status).toBe(200);
    expect(lookup.headers.get("content-type")).toBe("application/scim+json");
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [], startIndex: 1 });

    const created = await okta("POST", "/Users", {
      body: {
        schemas: [CORE, ENTERPRISE_USER],
        userName,
        name: { givenName: "Olive", familyName: "Kta" },
        emails: [{ primary: true, value: userName.toLowerCase(), type: "work" }],
        displayName: "Olive Kta",
        locale: "en-US",
        externalId: `00u${run}`,
        groups: [],
        password: "Secret-1234",
        active: true,
        [ENTERPRISE_USER]: {
          department: `Okta Dept ${run}`,
          manager: { value: String(managerId) },
          costCenter: "CC-7",
        },
      },
    });
    expect(created.status).toBe(201);
    const id = Number(created.body!.id);
    expect(created.headers.get("location")).toBe(`http://localhost/scim/v2/Users/${id}`);
    expect(created.headers.get("etag")).toBe(created.body!.meta.version);
    expect(created.body).toMatchObject({
      userName,
      active: true,
      name: { givenName: "Olive", familyName: "Kta" },
      [ENTERPRISE_USER]: {
        department: `Okta Dept ${run}`,
        costCenter: "CC-7",
        manager: { value: String(managerId), displayName: "Maya Patel" },
      },
    });
    expect(created.body).not.toHaveProperty("password");
    expect(await identity(id)).toMatchObject({
      status: "active",
      department: `Okta Dept ${run}`,
      manager_id: managerId,
    });
    expect(await events("identity", id)).toEqual(["people.join"]);

    // userName is case-insensitive: the lookup finds them whatever the case.
    const found = await okta("GET", `/Users${filterQuery(`userName eq "${userName.toUpperCase()}"`)}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: String(id) }] });

    // Okta updates profiles with PUT (the whole user); a new department and title: a mover and an update.
    const put = await okta("PUT", `/Users/${id}`, {
      body: {
        ...created.body,
        title: "Buyer",
        [ENTERPRISE_USER]: { department: "Finance", manager: { value: String(managerId) } },
      },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ title: "Buyer", [ENTERPRISE_USER]: { department: "Finance" } });
    expect(await identity(id)).toMatchObject({ title: "Buyer", department: "Finance" });
    expect(await events("identity", id)).toEqual(["people.join", "people.update", "people.move"]);

    // Deactivation, Okta's way: replace of active without a path. A leaver case opens.
    const off = await okta("PATCH", `/Users/${id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] },
    });
    expect(off.status).toBe(200);
    expect(off.body!.active).toBe(false);
    const [opened] = await caseOf(id);
    expect(opened).toMatchObject({ status: "open", cancelled: false, reason: "voluntary" });
    expect(await identity(id)).toMatchObject({ status: "leaver" });
    const [openEvent] = await rowsOf(
      db,
      sql`SELECT metadata FROM audit_events WHERE action = 'leaver.open' AND target_id = ${String(opened.id)}`,
      { metadata: z.unknown() },
    );
    expect(openEvent.metadata).toMatchObject({ source: "scim" });

    // Re-activated within the grace time: the case is called off and the person is active again.
    const on = await okta("PATCH", `/Users/${id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: true } }] },
    });
    expect(on.status).toBe(200);
    expect(on.body!.active).toBe(true);
    expect(await caseOf(id)).toEqual([expect.objectContaining({ id: opened.id, status: "closed", cancelled: true })]);
    expect(await events("leaver_case", opened.id)).toEqual(["leaver.open", "leaver.cancel"]);
    expect(await identity(id)).toMatchObject({ status: "active" });

    // DELETE: a leaver case, and the user is gone for SCIM.
    expect((await okta("DELETE", `/Users/${id}`)).status).toBe(204);
    expect((await okta("GET", `/Users/${id}`)).status).toBe(404);
    expect((await okta("GET", `/Users${filterQuery(`userName eq "${userName}"`)}`)).body!.totalResults).toBe(0);
    expect(await caseOf(id)).toEqual([
      expect.objectContaining({ status: "closed", cancelled: true }),
      expect.objectContaining({ status: "open" }),
    ]);
    expect(
      (await okta("PATCH", `/Users/${id}`, { body: { Operations: [{ op: "replace", value: { active: true } }] } }))
        .status,
    ).toBe(404);
  });
});

describe("as Entra's provisioning", () => {
  it("creates with the enterprise extension, patches in Entra's style, deactivates with a string boolean, deletes", async () => {
    const userName = `entra.user.${run}@contoso.example`;
    expect((await entra("GET", `/Users${filterQuery(`userName eq "${userName}"`)}`)).body!.totalResults).toBe(0);
    const created = await entra("POST", "/Users", {
      body: {
        schemas: [CORE, ENTERPRISE_USER],
        externalId: `ext-${run}`,
        userName,
        active: true,
        displayName: "Edna Tra",
        emails: [{ primary: true, type: "work", value: userName }],
        meta: { resourceType: "User" },
        name: { formatted: "Edna Tra", familyName: "Tra", givenName: "Edna" },
        roles: [],
        [ENTERPRISE_USER]: { employeeNumber: `EN-${run}`, department: "Engineering" },
      },
    });
    expect(created.status).toBe(201);
    const id = Number(created.body!.id);
    expect(created.body).toMatchObject({
      externalId: `ext-${run}`,
      [ENTERPRISE_USER]: { employeeNumber: `EN-${run}` },
    });
    // Entra also looks users up by externalId.
    expect((await entra("GET", `/Users${filterQuery(`externalId eq "ext-${run}"`)}`)).body!.totalResults).toBe(1);

    const patched = await entra("PATCH", `/Users/${id}`, {
      body: {
        schemas: [PATCH_OP],
        Operations: [
          { op: "Replace", path: 'emails[type eq "work"].value', value: `edna.${run}@contoso.example` },
          { op: "Add", path: `${ENTERPRISE_USER}:manager`, value: String(managerId) },
          { op: "Replace", path: `${ENTERPRISE_USER}:department`, value: "Finance" },
          { op: "Add", value: { "name.givenName": "Edwina", title: "Analyst" } },
        ],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      emails: [{ value: `edna.${run}@contoso.example`, type: "work", primary: true }],
      name: { givenName: "Edwina", familyName: "Tra" },
      title: "Analyst",
      [ENTERPRISE_USER]: { department: "Finance", manager: { value: String(managerId) } },
    });
    expect(await identity(id)).toMatchObject({
      email: `edna.${run}@contoso.example`,
      department: "Finance",
      manager_id: managerId,
    });
    expect(await events("identity", id)).toEqual(["people.join", "people.update", "people.move"]);

    const off = await entra("PATCH", `/Users/${id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] },
    });
    expect(off.body!.active).toBe(false);
    expect(await caseOf(id)).toEqual([expect.objectContaining({ status: "open" })]);

    const on = await entra("PATCH", `/Users/${id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "True" }] },
    });
    expect(on.body!.active).toBe(true);
    expect(await caseOf(id)).toEqual([expect.objectContaining({ status: "closed", cancelled: true })]);

    // Manager removal, Entra's way.
    const noManager = await entra("PATCH", `/Users/${id}`, {
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "Remove", path: `${ENTERPRISE_USER}:manager`, value: [{ value: String(managerId) }] }],
      },
    });
    expect(noManager.body![ENTERPRISE_USER]).not.toHaveProperty("manager");

    expect((await entra("DELETE", `/Users/${id}`)).status).toBe(204);
    expect((await entra("GET", `/Users/${id}`)).status).toBe(404);
    expect(await caseOf(id)).toEqual([
      expect.objectContaining({ cancelled: true }),
      expect.objectContaining({ status: "open" }),
    ]);
  });

  it("deactivates a seeded person with access: the case has tasks; re-activation waives them and calls it off", async () => {
    const [p] = await rowsOf(
      db,
      sql`SELECT i.id FROM identities i WHERE i.kind = 'human' AND i.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
            AND NOT EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = i.id)
            AND EXISTS (SELECT 1 FROM accounts a WHERE a.identity_id = i.id AND a.status = 'active')
          ORDER BY i.id DESC OFFSET 17 LIMIT 1`,
      { id: col.num },
    );
    const off = await entra("PATCH", `/Users/${p.id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] },
    });
    expect(off.status).toBe(200);
    const [opened] = await caseOf(p.id);
    expect(opened.tasks).toBeGreaterThan(0);
    expect(
      (
        await entra("PATCH", `/Users/${p.id}`, {
          body: { Operations: [{ op: "Replace", path: "active", value: "True" }] },
        })
      ).status,
    ).toBe(200);
    expect(await caseOf(p.id)).toEqual([
      expect.objectContaining({ status: "closed", cancelled: true, waived: opened.tasks }),
    ]);
  });

  it("refuses to call off a case that already took effect (409) and leaves the person a leaver", async () => {
    await db.execute(sql`INSERT INTO settings (key, value) VALUES ('scim_leaver_grace_minutes', '0'::jsonb)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    try {
      const made = await entra("POST", "/Users", {
        body: { userName: `late.${run}@contoso.example`, displayName: "Late Comer" },
      });
      const id = made.body!.id;
      await entra("PATCH", `/Users/${id}`, {
        body: { Operations: [{ op: "Replace", path: "active", value: "False" }] },
      });
      const back = await entra("PATCH", `/Users/${id}`, {
        body: { Operations: [{ op: "Replace", path: "active", value: "True" }] },
      });
      expect(back.status).toBe(409);
      expect(back.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "409" });
      expect(back.body!.detail).toMatch(/took effect .* An analyst handles the return\./);
      expect(await identity(Number(id))).toMatchObject({ status: "leaver" });
    } finally {
      await db.execute(sql`DELETE FROM settings WHERE key = 'scim_leaver_grace_minutes'`);
    }
  });
});

describe("Groups", () => {
  it("are created with members, changed member by member in both styles, renamed, read and deleted", async () => {
    const people = await Promise.all(
      [1, 2, 3].map(async (n) => {
        const r = await entra("POST", "/Users", {
          body: { userName: `member${n}.${run}@contoso.example`, displayName: `Member ${n}` },
        });
        return r.body!.id as string;
      }),
    );
    const made = await entra("POST", "/Groups", {
      body: {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        displayName: `Sales ${run}`,
        externalId: `g-${run}`,
        members: [{ value: people[0] }],
      },
    });
    expect(made.status).toBe(201);
    const gid = made.body!.id;
    expect(made.body!.members).toEqual([
      expect.objectContaining({ value: people[0], display: "Member 1", type: "User" }),
    ]);
    expect((await entra("POST", "/Groups", { body: { displayName: `sales ${run}` } })).body).toMatchObject({
      status: "409",
      scimType: "uniqueness",
    });

    // Entra: add members; remove one with the value as the operation's value.
    let r = await entra("PATCH", `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "Add", path: "members", value: [{ value: people[1] }, { value: people[2] }] }],
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get("etag")).toMatch(/^W\/"/);
    r = await entra("PATCH", `/Groups/${gid}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: "members", value: [{ value: people[0] }] }] },
    });
    // Okta: remove through a value filter, rename repeating the id.
    r = await okta("PATCH", `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_OP],
        Operations: [
          { op: "remove", path: `members[value eq "${people[1]}"]` },
          { op: "replace", value: { id: gid, displayName: `Sales EMEA ${run}` } },
        ],
      },
    });
    expect(r.status).toBe(204);
    const read = await okta("GET", `/Groups/${gid}`);
    expect(read.body).toMatchObject({ displayName: `Sales EMEA ${run}`, members: [{ value: people[2] }] });
    expect((await okta("GET", `/Groups/${gid}?excludedAttributes=members`)).body).not.toHaveProperty("members");
    const byName = await okta(
      "GET",
      `/Groups${filterQuery(`displayName eq "sales emea ${run}"`, "&excludedAttributes=members")}`,
    );
    expect(byName.body).toMatchObject({ totalResults: 1, Resources: [{ id: gid }] });
    expect(byName.body!.Resources[0]).not.toHaveProperty("members");
    const byMember = await okta("GET", `/Groups${filterQuery(`members[value eq "${people[2]}"]`)}`);
    expect(byMember.body!.Resources.map((g: { id: string }) => g.id)).toEqual([gid]);
    // The User shows its groups (read-only).
    expect((await okta("GET", `/Users/${people[2]}`)).body!.groups).toEqual([
      expect.objectContaining({ value: gid, display: `Sales EMEA ${run}` }),
    ]);
    expect(await events("scim_group", gid)).toEqual([
      "scim.group_create",
      "scim.group_update",
      "scim.group_update",
      "scim.group_update",
    ]);

    // A member who is not a User is refused; a wrong If-Match too.
    expect(
      (
        await okta("PATCH", `/Groups/${gid}`, {
          body: { Operations: [{ op: "add", path: "members", value: [{ value: "999999999" }] }] },
        })
      ).body,
    ).toMatchObject({
      status: "400",
      scimType: "invalidValue",
    });
    expect((await okta("DELETE", `/Groups/${gid}`, { headers: { "if-match": 'W/"stale"' } })).status).toBe(412);
    expect(
      (await okta("DELETE", `/Groups/${gid}`, { headers: { "if-match": read.headers.get("etag")! } })).status,
    ).toBe(204);
    expect((await okta("GET", `/Groups/${gid}`)).status).toBe(404);
  });
});
