import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { leaverBatches, leaverCases } from "@/db/schema";
import { Conflict, Forbidden } from "@/lib/errors";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { queryRows } from "@/lib/testing/sql";
import { confirmImport, digestOf, previewImport } from "./import";

type P = { id: number; employee_number: string; email: string };
const activePeople = (db: Parameters<Parameters<typeof rollback>[0]>[0], n: number) =>
  queryRows<P>(
    db,
    sql`SELECT id, employee_number, email FROM identities i WHERE kind = 'human' AND status = 'active' AND employee_number IS NOT NULL
                         AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id) ORDER BY id LIMIT ${n}`,
  );

describe("HR file import", () => {
  it("previews every row with its line and reason, writes nothing, then confirms the good rows in one batch", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const [a, b, c] = await activePeople(db, 3);
      const [ravi] = await queryRows<{ employee_number: string }>(
        db,
        sql`SELECT employee_number FROM identities WHERE display_name = 'Ravi Menon'`,
      );
      const [svc] = await queryRows<{ email: string | null; name: string }>(
        db,
        sql`SELECT email, display_name AS name FROM identities WHERE kind = 'service_account' AND email IS NOT NULL LIMIT 1`,
      );
      const csv = [
        "Employee Number,Email,Reason,Effective At,Last Day",
        `${a.employee_number},,layoff,2026-11-02T17:00:00Z,2026-11-02`,
        `,${b.email.toUpperCase()},voluntary,,2026-11-30`,
        `${c.employee_number},,fired,2026-11-02T17:00:00Z,`,
        `E99999999,,layoff,2026-11-02T17:00:00Z,`,
        `${a.employee_number},,layoff,2026-11-02T18:00:00Z,`,
        `${ravi.employee_number},,involuntary,2026-11-02T17:00:00Z,`,
        `${c.employee_number},,layoff,not a date,`,
        `${c.employee_number},,layoff,,2026-13-45`,
        svc ? `,${svc.email},layoff,2026-11-02T17:00:00Z,` : `,,layoff,,`,
        `,,layoff,2026-11-02T17:00:00Z,`,
        ``,
      ].join("\n");
      const before = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM leaver_cases`);
      const preview = await previewImport(ctx, { csv, fileName: "rif.csv" });
      expect(preview.fileErrors).toEqual([]);
      const byLine = Object.fromEntries(preview.rows.map((r) => [r.line, [r.status, r.message]]));
      expect(byLine[2]).toEqual(["ok", null]);
      expect(byLine[3]).toEqual(["ok", null]);
      expect(byLine[4][1]).toMatch(/Unknown reason "fired"/);
      expect(byLine[5][1]).toMatch(/No person with employee number E99999999/);
      expect(byLine[6]).toEqual(["duplicate", "Same person as line 2; only the first row is imported."]);
      expect(byLine[7][0]).toBe("open_case");
      expect(byLine[8][1]).toMatch(/not a date and time/);
      expect(byLine[9][1]).toMatch(/Last day "2026-13-45" is not a date/);
      if (svc) expect(byLine[10][1]).toMatch(/not a person/);
      expect(byLine[11][1]).toBe("No employee number or email.");
      expect(preview.rows).toHaveLength(10);
      expect(preview.counts).toEqual({ ok: 2, error: 6, duplicate: 1, open_case: 1 });
      expect(await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM leaver_cases`)).toEqual(before);

      await expect(
        confirmImport(ctx, { csv: `${csv}\n`, fileName: "rif.csv", digest: preview.digest }),
      ).rejects.toThrow(Conflict);
      const done = await confirmImport(ctx, { csv, fileName: "rif.csv", digest: digestOf(csv) });
      expect(done.imported).toBe(2);
      expect(done.skippedRows).toBe(8);
      const [batch] = await db.select().from(leaverBatches).where(eq(leaverBatches.id, done.batchId!));
      expect(batch).toMatchObject({ source: "hr_import", fileName: "rif.csv", rowCount: 10 });
      const cases = await db.select().from(leaverCases).where(eq(leaverCases.batchId, batch.id));
      expect(cases.map((x) => x.identityId).sort()).toEqual([a.id, b.id].sort());
      const voluntary = cases.find((x) => x.identityId === b.id)!;
      expect(voluntary.slaDueAt.toISOString()).toBe("2026-12-01T00:00:00.000Z");
      // Importing the same file again duplicates nobody.
      const again = await previewImport(ctx, { csv, fileName: "rif.csv" });
      expect(again.rows.find((r) => r.line === 2)?.status).toBe("open_case");
    });
  });

  it("reports a file without the needed columns, and rejects the wrong role", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const preview = await previewImport(ctx, { csv: "name,when\nAda,today\n", fileName: "bad.csv" });
      expect(preview.fileErrors).toHaveLength(3);
      expect(preview.rows).toEqual([]);
      for (const roles of [["manager"], ["executive"], ["approver"]] as const) {
        await expect(previewImport(await ctxAs(db, [...roles]), { csv: "x", fileName: "x.csv" })).rejects.toThrow(
          Forbidden,
        );
        await expect(
          confirmImport(await ctxAs(db, [...roles]), { csv: "x", fileName: "x.csv", digest: digestOf("x") }),
        ).rejects.toThrow(Forbidden);
      }
    });
  });
});
