import { asc, eq, sql } from "drizzle-orm";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as exportPeople } from "@/app/api/people/export/route";
import type { Db } from "@/db/client";
import { departments, identities } from "@/db/schema";
import { identityScope } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { runRoute } from "@/lib/edge/core";
import { Forbidden, NotFound } from "@/lib/errors";
import { asAnalyst, asApprover, asExecutive, ctxByName, identityIdByName } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { PEOPLE_CSV_HEADER } from "./export";
import { getPerson } from "./person";
import { listPeople, type PersonRow } from "./queries";
import { peopleListInput } from "./schemas";

let db: Db;
let analyst: Ctx;
let maya: Ctx;

beforeAll(async () => {
  db = await testDb();
  analyst = await asAnalyst(db);
  maya = await ctxByName(db, "Maya Patel");
});

/** Filters as the page receives them (URL values), parsed by the page's own schema. */
type PeopleFilters = { q?: string; department?: number; kind?: PersonRow["kind"]; status?: PersonRow["status"] };
const list = (ctx: Ctx, input: PeopleFilters & { after?: string; before?: string; limit?: number }) =>
  listPeople(ctx, peopleListInput.parse(input));

/** Every page of the directory, following `next` cursors. */
async function walk(ctx: Ctx, filters: PeopleFilters, limit: number) {
  const pages = [];
  let after: string | undefined;
  do {
    const page = await list(ctx, { ...filters, after, limit });
    pages.push(page);
    after = page.next ?? undefined;
    expect(pages.length).toBeLessThan(10_000);
  } while (after);
  return pages;
}

const everyone = async (ctx: Ctx, filters: PeopleFilters = {}) =>
  (await walk(ctx, filters, 500)).flatMap((p) => p.items);

/** The directory order computed independently: name (case-insensitive), then id. */
async function expectedIds(where?: ReturnType<typeof identityScope>): Promise<number[]> {
  const rows = await db
    .select({ id: identities.id })
    .from(identities)
    .where(where)
    .orderBy(asc(sql`lower(${identities.displayName})`), asc(identities.id));
  return rows.map((r) => r.id);
}

describe("directory search", () => {
  let avery: typeof identities.$inferSelect;
  beforeAll(async () => {
    [avery] = await db
      .select()
      .from(identities)
      .where(eq(identities.id, await identityIdByName(db, "Avery Chen")));
  });

  it("finds a person by part of their name, case-insensitively", async () => {
    for (const q of ["avery", "AVERY CHEN", "ery ch"]) {
      const rows = await everyone(analyst, { q });
      expect(
        rows.map((r) => r.id),
        q,
      ).toContain(avery.id);
      for (const r of rows)
        expect(`${r.name} ${r.email ?? ""} ${r.employeeNumber ?? ""}`.toLowerCase(), q).toContain(q.toLowerCase());
    }
  });

  it("finds a person by email and by employee number", async () => {
    expect(avery.email).toBe("avery.chen@tidewater.example");
    expect((await everyone(analyst, { q: "avery.chen@tidewater.example" })).map((r) => r.id)).toEqual([avery.id]);
    expect(avery.employeeNumber).toBeTruthy();
    // As shown on the page (employee numbers carry letters, e.g. "E00123"), and typed in lower case.
    for (const q of [avery.employeeNumber!, avery.employeeNumber!.toLowerCase()]) {
      expect(
        (await everyone(analyst, { q })).map((r) => r.id),
        q,
      ).toContain(avery.id);
    }
  });

  it("treats LIKE wildcards in the search as literal characters", async () => {
    expect(await everyone(analyst, { q: "%" })).toEqual([]);
    expect(await everyone(analyst, { q: "_" })).toEqual([]);
    expect(await everyone(analyst, { q: "zzqx-nobody-has-this" })).toEqual([]);
  });
});

describe("directory filters", () => {
  it("filters by kind, status and department, alone and together", async () => {
    const [dept] = await db.select().from(departments).orderBy(asc(departments.id)).limit(1);
    const cases: [PeopleFilters, (r: PersonRow) => boolean, ReturnType<typeof sql>][] = [
      [{ kind: "service_account" }, (r) => r.kind === "service_account", sql`kind = 'service_account'`],
      [{ kind: "human" }, (r) => r.kind === "human", sql`kind = 'human'`],
      [{ status: "leaver" }, (r) => r.status === "leaver", sql`status = 'leaver'`],
      [{ department: dept.id }, (r) => r.department === dept.name, sql`department_id = ${dept.id}`],
      [
        { department: dept.id, kind: "human", status: "active" },
        (r) => r.department === dept.name && r.kind === "human" && r.status === "active",
        sql`department_id = ${dept.id} AND kind = 'human' AND status = 'active'`,
      ],
    ];
    for (const [filters, matches, where] of cases) {
      const rows = await everyone(analyst, filters);
      const label = JSON.stringify(filters);
      expect(rows.length, label).toBeGreaterThan(0);
      expect(
        rows.filter((r) => !matches(r)),
        label,
      ).toEqual([]);
      expect(
        rows.map((r) => r.id),
        label,
      ).toEqual(await expectedIds(where));
    }
  });
});

describe("keyset pagination", () => {
  it.each([
    ["everyone", {}, 23, sql`true`],
    ["humans", { kind: "human" }, 50, sql`kind = 'human'`],
    [
      "a search",
      { q: "a" },
      9,
      sql`(lower(display_name) || ' ' || coalesce(lower(email), '') || ' ' || coalesce(employee_number, '')) LIKE '%a%'`,
    ],
  ] as [string, PeopleFilters, number, ReturnType<typeof sql>][])(
    "walks every page of %s without duplicates or gaps; Previous returns the prior page",
    async (_, filters, limit, where) => {
      const pages = await walk(analyst, filters, limit);
      const ids = pages.flatMap((p) => p.items.map((r) => r.id));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(await expectedIds(where));
      expect(pages.length).toBeGreaterThan(2);
      expect(pages[0].prev).toBeNull();
      expect(pages.at(-1)!.next).toBeNull();
      for (const p of pages.slice(0, -1)) expect(p.items).toHaveLength(limit);
      for (let k = 1; k < pages.length; k++) {
        const back = await list(analyst, { ...filters, before: pages[k].prev!, limit });
        expect(
          back.items.map((r) => r.id),
          `page ${k} → previous`,
        ).toEqual(pages[k - 1].items.map((r) => r.id));
        expect(back.prev === null, `page ${k - 1} reached backwards knows whether it is the first`).toBe(k - 1 === 0);
        expect(back.next).not.toBeNull();
      }
    },
  );

  it("ignores a malformed cursor (first page) rather than failing", async () => {
    const first = await list(analyst, { limit: 5 });
    expect((await list(analyst, { after: "not-a-cursor", limit: 5 })).items).toEqual(first.items);
    // A well-formed cursor whose values do not fit the sort keys' types (edited in the URL) is no cursor either.
    const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString("base64url");
    for (const values of [
      ["a", "x"],
      ["a", 2 ** 40],
      ["a", 1.5],
      [{}, 1],
      ["a\u0000", 1],
      [1, 1],
    ]) {
      expect((await list(analyst, { after: cursor(values), limit: 5 })).items, JSON.stringify(values)).toEqual(
        first.items,
      );
    }
    expect((await list(analyst, { after: first.next ?? undefined, limit: 5 })).items[0].id).not.toBe(first.items[0].id);
  });
});

describe("scoping", () => {
  it("shows Maya Patel her team and what it owns, and nobody else", async () => {
    const ids = (await everyone(maya)).map((r) => r.id);
    expect(ids).toEqual(await expectedIds(identityScope(maya.actor)));
    expect(ids).toContain(maya.actor.id);
    const [report] = await db
      .select({ id: identities.id })
      .from(identities)
      .where(eq(identities.managerId, maya.actor.id!))
      .limit(1);
    expect(ids).toContain(report.id);
    const outsider = await identityIdByName(db, "Luis Romero");
    expect(ids).not.toContain(outsider);
    expect(ids.length).toBeLessThan((await everyone(analyst)).length);
    expect(await everyone(maya, { q: "Luis Romero" })).toEqual([]);
  });

  it("opens a team member's page for Maya; a person outside her team is NotFound (not Forbidden: no existence leak)", async () => {
    const [report] = await db
      .select({ id: identities.id })
      .from(identities)
      .where(eq(identities.managerId, maya.actor.id!))
      .limit(1);
    expect((await getPerson(maya, report.id)).person.id).toBe(report.id);
    const outsider = await identityIdByName(db, "Luis Romero");
    await expect(getPerson(maya, outsider)).rejects.toThrow(NotFound);
    await expect(getPerson(maya, 2_000_000_000)).rejects.toThrow(NotFound);
    expect((await getPerson(analyst, outsider)).person.name).toBe("Luis Romero");
  });

  it("forbids executives and approvers the directory and person pages", async () => {
    for (const ctx of [await asExecutive(db), await asApprover(db)]) {
      await expect(list(ctx, { limit: 10 })).rejects.toThrow(Forbidden);
      await expect(getPerson(ctx, maya.actor.id!)).rejects.toThrow(Forbidden);
    }
  });
});

describe("CSV export", () => {
  async function exportAs(ctx: Ctx, query: string) {
    const request = new Request(`http://localhost/api/people/export${query}`);
    return runRoute(exportPeople.spec, ctx.actor, request, { params: Promise.resolve({}) });
  }

  it.each([
    ["everything", "", {}],
    ["a filtered list", "?kind=human&status=active&q=a", { kind: "human", status: "active", q: "a" }],
  ] as [string, string, PeopleFilters][])("has the list's rows, in order, for %s", async (_, query, filters) => {
    const res = await exportAs(analyst, query);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"$/);
    const parsed = Papa.parse<string[]>(await res.text(), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    expect(header).toEqual(PEOPLE_CSV_HEADER);
    const cell = (v: unknown) => (v === null || v === undefined ? "" : String(v));
    const list = await everyone(analyst, filters);
    expect(rows.length).toBe(list.length);
    expect(rows).toEqual(
      list.map((p) =>
        [
          p.id,
          p.name,
          p.email,
          p.employeeNumber,
          p.kind,
          p.status,
          p.department,
          p.title,
          p.owner,
          p.effectiveStrength,
        ].map(cell),
      ),
    );
  });

  it("is refused to managers (no people.export): 403", async () => {
    const res = await exportAs(maya, "");
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ ok: false, code: "forbidden" });
  });
});
