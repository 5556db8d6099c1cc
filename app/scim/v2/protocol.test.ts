import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { SYSTEM_ACTOR } from "@/lib/authz";
import { makeCtx } from "@/lib/context";
import { ENTERPRISE_USER, PATCH_OP } from "@/lib/scim/schemas";
import { revokeProvisioningToken } from "@/lib/scim/tokens";
import { testDb } from "@/lib/testing/db";
import { filterQuery, provisioningToken, type ScimCall, scimClient } from "@/lib/testing/scim-client";
import { rowsOf } from "@/lib/testing/sql";

/**
 * The protocol around the flows: discovery, authentication, filters (every operator against the seeded
 * people, counted independently in SQL), pagination and its limit, ETags, uniqueness, mutability, and the
 * SCIM error body for every refusal.
 */
process.env.LOCKSTEP_SCIM_RATE = "100000";

let db: Db;
let scim: ScimCall;
let clientId: number;
const run = randomUUID().slice(0, 8);
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

beforeAll(async () => {
  db = await testDb();
  const t = await provisioningToken(db, `Protocol ${run}`);
  scim = scimClient(t.token);
  clientId = t.id;
});

const count = async (where: ReturnType<typeof sql>) => {
  const [r] = await rowsOf(
    db,
    sql`SELECT count(*)::int AS n FROM identities i LEFT JOIN departments d ON d.id = i.department_id
         WHERE i.kind = 'human' AND NOT EXISTS (SELECT 1 FROM scim_users s WHERE s.identity_id = i.id AND s.deleted_at IS NOT NULL)
           AND ${where}`,
    { n: col.num },
  );
  return Number(r.n);
};
const total = async (filter: string) => {
  const r = await scim("GET", `/Users${filterQuery(filter, "&count=0")}`);
  expect(r.status, `${filter}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body!.totalResults as number;
};
const expectError = (
  r: { status: number; body: Record<string, unknown> | null; headers: Headers },
  status: number,
  scimType?: string,
) => {
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toBe("application/scim+json");
  expect(r.body).toMatchObject({ schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}) });
  expect(typeof r.body!.detail).toBe("string");
};

describe("discovery", () => {
  it("describes the service provider, its resource types and schemas", async () => {
    const config = await scim("GET", "/ServiceProviderConfig");
    expect(config.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 500 },
      etag: { supported: true },
      sort: { supported: false },
      authenticationSchemes: [expect.objectContaining({ type: "oauthbearertoken" })],
    });
    const types = await scim("GET", "/ResourceTypes");
    expect(types.body!.Resources.map((t: { id: string }) => t.id)).toEqual(["User", "Group"]);
    expect(types.body!.Resources[0]).toMatchObject({
      endpoint: "/Users",
      schemaExtensions: [{ schema: ENTERPRISE_USER, required: false }],
    });
    expect((await scim("GET", "/ResourceTypes/Group")).body).toMatchObject({ endpoint: "/Groups" });
    const schemas = await scim("GET", "/Schemas");
    expect(schemas.body!.totalResults).toBe(3);
    const enterprise = await scim("GET", `/Schemas/${ENTERPRISE_USER}`);
    expect(enterprise.body!.attributes.map((a: { name: string }) => a.name)).toEqual([
      "employeeNumber",
      "costCenter",
      "organization",
      "division",
      "department",
      "manager",
    ]);
    expectError(await scim("GET", "/Schemas/urn:nope"), 404);
    expectError(await scim("GET", "/ResourceTypes/Printer"), 404);
  });
});

describe("authentication", () => {
  it("answers a missing, unknown or revoked token with 401, WWW-Authenticate: Bearer and a SCIM error", async () => {
    for (const call of [scimClient(null), scimClient("lsp_not-a-real-token-at-all-000000")]) {
      const r = await call("GET", "/Users");
      expectError(r, 401);
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    }
    const t = await provisioningToken(db, `Revoked ${run}`);
    const client = scimClient(t.token);
    expect((await client("GET", "/ServiceProviderConfig")).status).toBe(200);
    await revokeProvisioningToken(makeCtx(SYSTEM_ACTOR, db, new Date()), { clientId: t.id });
    expectError(await client("GET", "/ServiceProviderConfig"), 401);
  });

  it("records the token's last use", async () => {
    const [c] = await rowsOf(
      db,
      sql`SELECT last_used_at IS NOT NULL AS used FROM machine_clients WHERE id = ${clientId}`,
      { used: col.bool },
    );
    expect(c.used).toBe(true);
  });

  it("rate-limits each token: 429 with Retry-After once its bucket is empty", async () => {
    const client = scimClient((await provisioningToken(db, `Burst ${run}`)).token);
    process.env.LOCKSTEP_SCIM_RATE = "1";
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await client("GET", "/ServiceProviderConfig")).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      const limited = await client("GET", "/ServiceProviderConfig");
      expectError(limited, 429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      // Another client's bucket is its own.
      expect((await scim("GET", "/ServiceProviderConfig")).status).toBe(200);
    } finally {
      process.env.LOCKSTEP_SCIM_RATE = "100000";
    }
  });
});

describe("filters against the seeded people", () => {
  it("match what SQL counts, for every operator, logic and value paths", async () => {
    const [someone] = await rowsOf(
      db,
      sql`SELECT i.id, i.email, d.name AS department, i.manager_id FROM identities i JOIN departments d ON d.id = i.department_id
           WHERE i.kind = 'human' AND i.manager_id IS NOT NULL ORDER BY i.id LIMIT 1 OFFSET 40`,
      { id: col.num, email: col.text, department: col.text, manager_id: col.num },
    );
    const domain = someone.email.split("@")[1];
    const cases: [string, ReturnType<typeof sql>][] = [
      [`userName eq "${someone.email.toUpperCase()}"`, sql`lower(i.email) = ${someone.email.toLowerCase()}`],
      [`userName ne "${someone.email}"`, sql`lower(i.email) IS DISTINCT FROM ${someone.email.toLowerCase()}`],
      ['userName sw "a"', sql`lower(i.email) LIKE 'a%'`],
      [`userName ew "${domain}"`, sql`lower(i.email) LIKE ${`%${domain}`}`],
      ['displayName co "an"', sql`lower(i.display_name) LIKE '%an%'`],
      ['displayName gt "M"', sql`lower(i.display_name) > 'm'`],
      ['displayName le "b"', sql`lower(i.display_name) <= 'b'`],
      ["title pr", sql`i.title IS NOT NULL AND i.title <> ''`],
      ["active eq true", sql`i.status = 'active'`],
      ['active eq "False"', sql`i.status <> 'active'`],
      [
        'active eq true and not (title co "engineer")',
        sql`i.status = 'active' AND NOT coalesce(lower(i.title) LIKE '%engineer%', false)`,
      ],
      [
        'title co "manager" or displayName sw "z"',
        sql`(lower(i.title) LIKE '%manager%' OR lower(i.display_name) LIKE 'z%')`,
      ],
      [`emails[type eq "work" and value ew "${domain}"]`, sql`lower(i.email) LIKE ${`%${domain}`}`],
      [`emails.value eq "${someone.email}"`, sql`lower(i.email) = ${someone.email.toLowerCase()}`],
      [
        `${ENTERPRISE_USER}:department eq "${someone.department}"`,
        sql`lower(d.name) = ${someone.department.toLowerCase()}`,
      ],
      [`${ENTERPRISE_USER}:manager.value eq "${someone.manager_id}"`, sql`i.manager_id = ${someone.manager_id}`],
      ['meta.created gt "2026-01-01T00:00:00Z"', sql`i.created_at > '2026-01-01T00:00:00Z'`],
      ['meta.lastModified le "2026-06-01T00:00:00Z"', sql`i.updated_at <= '2026-06-01T00:00:00Z'`],
      [`id eq "${someone.id}"`, sql`i.id = ${someone.id}`],
      ['id eq "not-a-number"', sql`false`],
      [
        "externalId pr",
        sql`EXISTS (SELECT 1 FROM scim_users s WHERE s.identity_id = i.id AND s.external_id IS NOT NULL AND s.external_id <> '')`,
      ],
      ['userName co "100%_"', sql`false`],
    ];
    for (const [filter, where] of cases) expect(await total(filter), filter).toBe(await count(where));
    // The case-insensitive userName lookup finds exactly the one person, as a page.
    const one = await scim("GET", `/Users${filterQuery(`userName eq "${someone.email.toUpperCase()}"`)}`);
    expect(one.body).toMatchObject({ totalResults: 1, itemsPerPage: 1, Resources: [{ id: String(someone.id) }] });
  });

  it("refuse bad filters, unknown attributes and attributes that cannot be filtered with 400 invalidFilter", async () => {
    for (const filter of [
      'userName eq "unterminated',
      "userName pr and",
      'favouriteColour eq "blue"',
      'phoneNumbers[type eq "work"]',
      'name.nickname eq "x"',
      "active gt true",
      'active eq "maybe"',
      'meta.created co "2020"',
      'meta.created gt "yesterday"',
      "userName eq 5",
      'urn:nope:User:userName eq "x"',
      'emails[value eq "a"].type eq "work" and emails[x[y eq "z"]]',
    ]) {
      expectError(await scim("GET", `/Users${filterQuery(filter)}`), 400, "invalidFilter");
    }
  });
});

describe("pagination", () => {
  it("pages by startIndex and count, counts in totalResults, and refuses pages over maxResults", async () => {
    const filter = 'userName sw "a"';
    const all = await total(filter);
    expect(all).toBeGreaterThan(4);
    const first = await scim("GET", `/Users${filterQuery(filter, "&startIndex=1&count=2")}`);
    const second = await scim("GET", `/Users${filterQuery(filter, "&startIndex=3&count=2")}`);
    expect(first.body).toMatchObject({ totalResults: all, startIndex: 1, itemsPerPage: 2 });
    expect(second.body).toMatchObject({ totalResults: all, startIndex: 3, itemsPerPage: 2 });
    const ids = [...first.body!.Resources, ...second.body!.Resources].map((u: { id: string }) => Number(u.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(4);
    // Below 1 reads as 1; a negative count as 0 (totalResults only).
    expect((await scim("GET", `/Users${filterQuery(filter, "&startIndex=0&count=2")}`)).body!.Resources).toEqual(
      first.body!.Resources,
    );
    expect((await scim("GET", `/Users${filterQuery(filter, "&count=-5")}`)).body).toMatchObject({
      totalResults: all,
      itemsPerPage: 0,
      Resources: [],
    });
    // Past the end: an empty page.
    expect((await scim("GET", `/Users${filterQuery(filter, `&startIndex=${all + 1}`)}`)).body!.Resources).toEqual([]);
    expectError(await scim("GET", "/Users?count=501"), 400, "tooMany");
    expectError(await scim("GET", "/Users?count=ten"), 400, "invalidValue");
    const humans = await count(sql`true`);
    expect((await scim("GET", "/Users?count=500")).body!.itemsPerPage).toBe(Math.min(500, humans));
  });

  it("projects attributes and excludedAttributes", async () => {
    const r = await scim(
      "GET",
      `/Users${filterQuery('userName sw "a"', "&count=1&attributes=userName,name.givenName")}`,
    );
    expect(Object.keys(r.body!.Resources[0]).sort()).toEqual(["id", "meta", "schemas", "userName"]);
    const x = await scim("GET", `/Users${filterQuery('userName sw "a"', "&count=1&excludedAttributes=emails,meta")}`);
    expect(x.body!.Resources[0]).not.toHaveProperty("emails");
    expect(x.body!.Resources[0]).toHaveProperty("userName");
  });
});

describe("writes: ETags, uniqueness, mutability, malformed bodies", () => {
  const userName = `proto.${run}@example.com`;
  let id: string;
  let etag: string;

  it("creates a user and honours If-None-Match and If-Match (412 on a stale version)", async () => {
    const made = await scim("POST", "/Users", { body: { userName, displayName: "Proto Col" } });
    expect(made.status).toBe(201);
    id = made.body!.id;
    etag = made.headers.get("etag")!;
    expect((await scim("GET", `/Users/${id}`, { headers: { "if-none-match": etag } })).status).toBe(304);
    const ok = await scim("PATCH", `/Users/${id}`, {
      headers: { "if-match": etag },
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "Tester" }] },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("etag")).not.toBe(etag);
    for (const [method, body] of [
      ["PATCH", { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "Again" }] }],
      ["PUT", { userName, displayName: "Proto Col" }],
      ["DELETE", undefined],
    ] as const) {
      expectError(await scim(method, `/Users/${id}`, { headers: { "if-match": etag }, body }), 412);
    }
    expect((await scim("GET", `/Users/${id}`)).body!.title).toBe("Tester");
    etag = ok.headers.get("etag")!;
    expect(
      (
        await scim("PATCH", `/Users/${id}`, {
          headers: { "if-match": "*" },
          body: { Operations: [{ op: "remove", path: "title" }] },
        })
      ).status,
    ).toBe(200);
  });

  it("keeps userName unique case-insensitively (409 uniqueness), on create and on change", async () => {
    expectError(await scim("POST", "/Users", { body: { userName: userName.toUpperCase() } }), 409, "uniqueness");
    const [seeded] = await rowsOf(db, sql`SELECT email FROM identities WHERE kind = 'human' ORDER BY id LIMIT 1`, {
      email: col.text,
    });
    expectError(await scim("POST", "/Users", { body: { userName: seeded.email } }), 409, "uniqueness");
    expectError(
      await scim("PATCH", `/Users/${id}`, {
        body: { Operations: [{ op: "replace", path: "userName", value: seeded.email.toUpperCase() }] },
      }),
      409,
      "uniqueness",
    );
    expectError(
      await scim("POST", "/Users", {
        body: { userName: `other.${run}@example.com`, emails: [{ value: seeded.email, primary: true }] },
      }),
      409,
      "uniqueness",
    );
  });

  it("refuses read-only attributes in PATCH (mutability) and ignores them in POST and PUT", async () => {
    for (const op of [
      { op: "replace", path: "id", value: "1" },
      { op: "replace", path: "meta.created", value: "2020-01-01T00:00:00Z" },
      { op: "add", path: "groups", value: [{ value: "1" }] },
      { op: "replace", path: `${ENTERPRISE_USER}:manager.displayName`, value: "Boss" },
    ]) {
      expectError(
        await scim("PATCH", `/Users/${id}`, { body: { schemas: [PATCH_OP], Operations: [op] } }),
        400,
        "mutability",
      );
    }
    const put = await scim("PUT", `/Users/${id}`, {
      body: { id: "1", userName, displayName: "Proto Col", meta: { created: "x" } },
    });
    expect(put.status).toBe(200);
    expect(put.body!.id).toBe(id);
  });

  it("answers malformed bodies, unknown attributes and bad values with 400 and the SCIM scimType", async () => {
    const cases: [string, string, unknown, string][] = [
      ["POST", "/Users", "{not json", "invalidSyntax"],
      ["POST", "/Users", "", "invalidSyntax"],
      ["POST", "/Users", "[1,2]", "invalidSyntax"],
      ["POST", "/Users", { displayName: "No userName" }, "invalidValue"],
      ["POST", "/Users", { userName: "x", favouriteColour: "blue" }, "invalidValue"],
      ["POST", "/Users", { userName: "x", name: { nickname: "y" } }, "invalidValue"],
      ["POST", "/Users", { userName: "x", "urn:example:custom:User": { a: 1 } }, "invalidValue"],
      ["POST", "/Users", { userName: "x", active: "perhaps" }, "invalidValue"],
      ["POST", "/Users", { userName: 42 }, "invalidValue"],
      ["POST", "/Users", { userName: "x", emails: [{ value: "x@example.com", primary: "yes" }] }, "invalidValue"],
      ["POST", "/Users", { userName: "x", emails: [true] }, "invalidValue"],
      ["POST", "/Users", { userName: "x", [ENTERPRISE_USER]: { manager: { value: "not-an-id" } } }, "invalidValue"],
      [
        "POST",
        "/Users",
        { userName: `m.${run}`, [ENTERPRISE_USER]: { manager: { value: "999999999" } } },
        "invalidValue",
      ],
      [
        "PATCH",
        `/Users/${id}`,
        { Operations: [{ op: "replace", path: "favouriteColour", value: "x" }] },
        "invalidPath",
      ],
      ["PATCH", `/Users/${id}`, { Operations: [{ op: "jump", path: "title" }] }, "invalidSyntax"],
      ["PATCH", `/Users/${id}`, { Operations: [{ op: "remove" }] }, "noTarget"],
      [
        "PATCH",
        `/Users/${id}`,
        { Operations: [{ op: "replace", path: `${ENTERPRISE_USER}:manager`, value: id }] },
        "invalidValue",
      ],
      ["PUT", `/Users/${id}`, { displayName: "No userName" }, "invalidValue"],
    ];
    for (const [method, path, body, scimType] of cases) {
      const r = await scim(method, path, { body });
      expect(r.status, `${method} ${JSON.stringify(body)}`).toBe(400);
      expectError(r, 400, scimType);
    }
    expectError(await scim("POST", "/Users", { body: { userName: "x", displayName: "y".repeat(1_000_100) } }), 413);
  });

  it("refuses a management loop", async () => {
    const boss = await scim("POST", "/Users", {
      body: { userName: `boss.${run}@example.com`, [ENTERPRISE_USER]: { manager: { value: id } } },
    });
    expect(boss.status).toBe(201);
    expectError(
      await scim("PATCH", `/Users/${id}`, {
        body: { Operations: [{ op: "add", path: `${ENTERPRISE_USER}:manager`, value: boss.body!.id }] },
      }),
      400,
      "invalidValue",
    );
  });

  it("answers 404 for what is not a User: unknown ids, non-numbers, service accounts", async () => {
    const [nhi] = await rowsOf(db, sql`SELECT id FROM identities WHERE kind <> 'human' ORDER BY id LIMIT 1`, {
      id: col.num,
    });
    for (const missing of ["999999999", "abc", String(nhi.id), "1e3"]) {
      expectError(await scim("GET", `/Users/${missing}`), 404);
      expectError(
        await scim("PATCH", `/Users/${missing}`, { body: { Operations: [{ op: "remove", path: "title" }] } }),
        404,
      );
    }
    expect(await total(`id eq "${nhi.id}"`)).toBe(0);
  });
});
