import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as exportAudit } from "@/app/api/audit/export/route";
import { GET as exportPeople } from "@/app/api/people/export/route";
import { col } from "@/db/rows";
import { identities } from "@/db/schema";
import { safeCell } from "@/lib/csv";
import { type AnyRouteSpec, runRoute } from "@/lib/edge/core";
import { actorWith } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";

/** Who exported what: every CSV export of records leaves an audit event naming the file and its filters. */
describe("exports", () => {
  const call = (spec: unknown, actor: Awaited<ReturnType<typeof actorWith>> | null, url: string) =>
    runRoute(spec as AnyRouteSpec, actor, new Request(url), { params: Promise.resolve({}) });

  it("records the people export (file, filters, who) before streaming it", async () => {
    const db = await testDb();
    const analyst = await actorWith(db, ["analyst"]);
    const res = await call(exportPeople.spec, analyst, "http://localhost/api/people/export?q=chen&status=active");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.split("\n")[0]).toMatch(/^id,/);
    const [event] = await rowsOf(
      db,
      sql`SELECT actor_id, target_type, target_id, after FROM audit_events WHERE action = 'people.export' ORDER BY id DESC LIMIT 1`,
      { actor_id: col.num, target_type: col.text, target_id: col.text, after: z.unknown() },
    );
    expect(event).toMatchObject({ actor_id: analyst.id, target_type: "export" });
    expect(event.target_id).toMatch(/^people-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(event.after).toMatchObject({ filters: { q: "chen", status: "active" } });
  });

  it("ignores a day that does not exist and refuses a NUL byte, instead of failing in the database (finding 9)", async () => {
    const db = await testDb();
    const analyst = await actorWith(db, ["analyst"]);
    const impossible = await call(exportAudit.spec, analyst, "http://localhost/api/audit/export?from=2026-02-30");
    expect(impossible.status).toBe(200);
    const text = await impossible.text();
    expect(text.split("\n")[0]).toMatch(/^id,occurred_at_utc,/);
    expect(text.endsWith("\n")).toBe(true);
    const nul = await call(exportAudit.spec, analyst, "http://localhost/api/audit/export?actor=a%00b");
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ ok: false, code: "invalid" });
  });

  it("exports text a spreadsheet would run as a formula as plain text, in every export (OWASP CSV injection)", async () => {
    const db = await testDb();
    const analyst = await actorWith(db, ["analyst"]);
    const [person] = await db
      .insert(identities)
      .values({
        displayName: '=HYPERLINK("http://x.test","open")',
        email: "formula.person@example.test",
        status: "active",
      })
      .returning({ id: identities.id });
    await db.execute(sql`UPDATE identities SET title = '@SUM(1+1)', employee_number = '-2+3' WHERE id = ${person.id}`);
    const res = await call(exportPeople.spec, analyst, "http://localhost/api/people/export?q=formula.person");
    const rows = Papa.parse<string[]>((await res.text()).trim()).data;
    const row = rows.find((r) => r[0] === String(person.id));
    expect(row?.slice(1, 4)).toEqual(['\'=HYPERLINK("http://x.test","open")', "formula.person@example.test", "'-2+3"]);
    expect(row).toContain("'@SUM(1+1)");
    // Every export streams through lib/csv csvResponse, so the same rule holds for each of them.
    expect(safeCell("+1 hidden")).toBe("'+1 hidden");
    expect(safeCell("\tcmd")).toBe("'\tcmd");
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell("plain = text")).toBe("plain = text");
  });

  it("records nothing for a caller who is refused", async () => {
    const db = await testDb();
    const count = async () =>
      Number(
        (
          await rowsOf(db, sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'audit.export'`, {
            n: col.num,
          })
        )[0].n,
      );
    const before = await count();
    const res = await call(exportAudit.spec, await actorWith(db, ["manager"]), "http://localhost/api/audit/export");
    expect(res.status).toBe(403);
    expect(await count()).toBe(before);
  });
});
