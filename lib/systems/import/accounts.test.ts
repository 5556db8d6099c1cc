import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { Conflict, Forbidden, NotFound } from "@/lib/errors";
import { confirmRun, startRun } from "@/lib/imports";
import { listMappings, saveMapping } from "@/lib/imports/mappings";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { allRows, previewText, sha256 } from "@/lib/testing/imports";
import { rowsOf } from "@/lib/testing/sql";
import type { AccountsImportResult } from "./accounts-kind";

/** A system of its own (nothing seeded on it), and three active people with email and employee number. */
async function fixture(db: Db) {
  const [system] = await rowsOf(
    db,
    sql`INSERT INTO systems (slug, name, category) VALUES ('legacy-erp', 'Legacy ERP', 'saas') RETURNING id`,
    { id: col.int },
  );
  const people = await rowsOf(
    db,
    sql`SELECT id, email, employee_number, lower(coalesce(user_name, email)) AS login FROM identities
         WHERE kind = 'human' AND status = 'active' AND email IS NOT NULL AND employee_number IS NOT NULL ORDER BY id LIMIT 3`,
    { id: col.int, email: col.text, employee_number: col.text, login: col.text },
  );
  return { systemId: system.id, people };
}
const state = async (db: Db, systemId: number) =>
  (
    await rowsOf(
      db,
      sql`SELECT (SELECT count(*)::int FROM accounts WHERE system_id = ${systemId}) AS accounts,
                 (SELECT count(*)::int FROM accounts WHERE system_id = ${systemId} AND status = 'deleted') AS deleted,
                 (SELECT count(*)::int FROM entitlements WHERE system_id = ${systemId}) AS entitlements,
                 (SELECT count(*)::int FROM grants g JOIN accounts a ON a.id = g.account_id
                   WHERE a.system_id = ${systemId} AND g.revoked_at IS NULL) AS grants,
                 (SELECT count(*)::int FROM audit_events) AS events`,
      { accounts: col.int, deleted: col.int, entitlements: col.int, grants: col.int, events: col.int },
    )
  )[0];

describe("Accounts and entitlements from a CSV (kind accounts_csv)", () => {
  it("maps the columns, previews with line and reason writing nothing, applies all of it, and re-runs idempotently", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const { systemId, people } = await fixture(db);
      const [a, b, c] = people;
      await saveMapping(ctx, {
        kind: "accounts_csv",
        source: "Legacy ERP",
        fields: {
          login: "User",
          email: "Mail",
          employee_number: "Staff No",
          entitlement: "Groups",
          privileged: "Admin?",
        },
      });
      const csv = [
        "User,Mail,Staff No,Groups,Admin?,Status",
        `erp.a,${a.email.toUpperCase()},,Finance;Payroll,no,active`,
        `erp.b,,${b.employee_number},Finance|ERP Admins,yes,`,
        `ghost,ghost@nowhere.example,,Finance,,`,
        `erp.c,${c.email},,Finance,maybe,`,
        `,${c.email},,Finance,,`,
        `erp.x,${a.email},${b.employee_number},Finance,,`,
        `erp.c2,${c.email},,Finance,,frozen`,
        "",
      ].join("\n");
      const before = await state(db, systemId);
      const preview = await previewText(ctx, "accounts_csv", csv, { params: { systemId, mapping: "legacy erp" } });
      expect(preview.fileErrors).toEqual([]);
      const rows = await allRows(ctx, preview.id);
      const byLine = Object.fromEntries(rows.map((r) => [r.line, [r.code ?? r.status, r.message]]));
      expect(byLine[2]).toEqual(["new", null]);
      expect(byLine[3]).toEqual(["new", null]);
      expect(byLine[4][0]).toBe("uncorrelated");
      expect(byLine[5][1]).toBe('Privileged "maybe" is not yes or no.');
      expect(byLine[6][1]).toBe("No account name (login).");
      expect(byLine[7][1]).toMatch(/belong to different people/);
      expect(byLine[8][1]).toMatch(/Unknown status "frozen"/);
      expect(rows.find((r) => r.line === 2)).toMatchObject({ targetId: a.id, key: "erp.a" });
      expect(rows.find((r) => r.line === 3)).toMatchObject({ targetId: b.id });
      expect(preview.counts).toMatchObject({ read: 7, ok: 2, error: 4, skipped: 1 });
      expect(await state(db, systemId)).toEqual(before);

      await expect(confirmRun(ctx, { runId: preview.id, digest: sha256("other") })).rejects.toThrow(Conflict);
      expect(await state(db, systemId)).toEqual(before);
      const done = await confirmRun(ctx, { runId: preview.id, digest: preview.digest! });
      expect(done.summary.result as AccountsImportResult).toEqual({
        accountsCreated: 2,
        accountsUpdated: 0,
        entitlementsAdded: 3,
        grantsAdded: 4,
        accountsEnded: 0,
        grantsEnded: 0,
      });
      const after = await state(db, systemId);
      expect(after).toMatchObject({ accounts: 2, entitlements: 3, grants: 4, events: before.events + 2 });
      // Read off the system, not requested through Lockstep: the grants say where they came from.
      const sources = await rowsOf(
        db,
        sql`SELECT DISTINCT g.source::text AS source FROM grants g JOIN accounts a ON a.id = g.account_id
             WHERE a.system_id = ${systemId}`,
        { source: col.text },
      );
      expect(sources).toEqual([{ source: "discovered" }]);
      const ents = await rowsOf(
        db,
        sql`SELECT name, privileged FROM entitlements WHERE system_id = ${systemId} ORDER BY name`,
        {
          name: col.text,
          privileged: col.bool,
        },
      );
      expect(ents).toEqual([
        { name: "ERP Admins", privileged: true },
        { name: "Finance", privileged: true },
        { name: "Payroll", privileged: false },
      ]);

      // The same file again: every account is known, nothing new is written.
      const again = await previewText(ctx, "accounts_csv", csv, { params: { systemId, mapping: "Legacy ERP" } });
      expect((await allRows(ctx, again.id)).find((r) => r.line === 2)?.code).toBe("known");
      const twice = await confirmRun(ctx, { runId: again.id, digest: again.digest! });
      expect(twice.summary.result).toMatchObject({
        accountsCreated: 0,
        accountsUpdated: 0,
        entitlementsAdded: 0,
        grantsAdded: 0,
      });
      expect(await state(db, systemId)).toMatchObject({ accounts: 2, entitlements: 3, grants: 4 });
    });
  });

  it("ends what the file no longer lists only when asked, and never an account whose row had an error", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["admin"]);
      const { systemId, people } = await fixture(db);
      const [a, b, c] = people;
      const first = [
        "login,email,group",
        `erp.a,${a.email},Finance;Payroll`,
        `erp.b,${b.email},Finance`,
        `erp.c,${c.email},Finance`,
      ].join("\n");
      const run1 = await previewText(ctx, "accounts_csv", first, { params: { systemId } });
      await confirmRun(ctx, { runId: run1.id, digest: run1.digest! });
      // erp.a lost Payroll, erp.b is gone, erp.c's row is broken: only erp.b and erp.a's Payroll end.
      const second = [
        "login,email,group,status",
        `erp.a,${a.email},Finance,disabled`,
        `erp.c,${c.email},Finance,???`,
      ].join("\n");
      const run2 = await previewText(ctx, "accounts_csv", second, { params: { systemId } });
      expect(run2.summary).toMatchObject({ missingAccounts: 1 });
      const done = await confirmRun(ctx, { runId: run2.id, digest: run2.digest!, options: { endMissing: true } });
      expect(done.summary.result).toMatchObject({ accountsUpdated: 1, accountsEnded: 1, grantsEnded: 2 });
      const accounts = await rowsOf(
        db,
        sql`SELECT username, status::text FROM accounts WHERE system_id = ${systemId} ORDER BY username`,
        {
          username: col.text,
          status: col.text,
        },
      );
      expect(accounts).toEqual([
        { username: "erp.a", status: "disabled" },
        { username: "erp.b", status: "deleted" },
        { username: "erp.c", status: "active" },
      ]);
      expect(await state(db, systemId)).toMatchObject({ grants: 2 });
    });
  });

  it("names unmapped required fields, refuses unknown mappings and systems, and the wrong roles", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const { systemId } = await fixture(db);
      const bad = await previewText(ctx, "accounts_csv", "Mail,Groups\na@x.example,Finance\n", {
        params: { systemId },
      });
      expect(bad.fileErrors).toEqual([
        { message: "No column for Account name / login: map it to a header of the file (or name the column so)." },
      ]);
      const wrongMap = await previewText(ctx, "accounts_csv", "Mail,Groups\na@x.example,Finance\n", {
        params: { systemId, columns: { login: "Account" } },
      });
      expect(wrongMap.fileErrors[0].message).toMatch(/Account name \/ login \(mapped to "Account", not in the file\)/);
      await expect(
        startRun(ctx, { kind: "accounts_csv", source: "ui", params: { systemId, mapping: "Nope" } }),
      ).rejects.toThrow(NotFound);
      await expect(startRun(ctx, { kind: "accounts_csv", source: "ui", params: { systemId: 999999 } })).rejects.toThrow(
        NotFound,
      );
      await expect(saveMapping(ctx, { kind: "accounts_csv", source: "X", fields: { nonsense: "Y" } })).rejects.toThrow(
        /no field nonsense/,
      );
      const listed = await listMappings(ctx, { kind: "accounts_csv" });
      expect(listed.fields.map((f) => f.name)).toContain("login");
      for (const role of ["manager", "executive", "approver"] as const) {
        const wrong = await ctxAs(db, [role]);
        await expect(startRun(wrong, { kind: "accounts_csv", source: "ui", params: { systemId } })).rejects.toThrow(
          Forbidden,
        );
        await expect(saveMapping(wrong, { kind: "accounts_csv", source: "X", fields: {} })).rejects.toThrow(Forbidden);
      }
    });
  });
});
