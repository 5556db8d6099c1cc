import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { leaverBatches, leaverCases } from "@/db/schema";
import { Conflict, Forbidden, NotFound } from "@/lib/errors";
import { confirmRun, notImportedCsvRows, startRun } from "@/lib/imports";
import { ctxAs, ctxByName } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { allRows, previewText, sha256 } from "@/lib/testing/imports";
import { rowsOf } from "@/lib/testing/sql";
import { batchProgress } from "./batch";
import type { HrImportResult } from "./import";

const activePeople = (db: Parameters<Parameters<typeof rollback>[0]>[0], n: number) =>
  rowsOf(
    db,
    sql`SELECT id, employee_number, email FROM identities i WHERE kind = 'human' AND status = 'active' AND employee_number IS NOT NULL
                         AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id) ORDER BY id LIMIT ${n}`,
    { id: col.int, employee_number: col.text, email: col.text },
  );
const counts = async (db: Parameters<Parameters<typeof rollback>[0]>[0]) =>
  (
    await rowsOf(
      db,
      sql`SELECT (SELECT count(*)::int FROM leaver_cases) AS cases, (SELECT count(*)::int FROM audit_events) AS events`,
      { cases: col.num, events: col.num },
    )
  )[0];

describe("HR file import (kind hr_leavers)", () => {
  it("previews every row with its line and reason, writes nothing, then confirms the good rows in one batch", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const [a, b, c] = await activePeople(db, 3);
      const [ravi] = await rowsOf(db, sql`SELECT employee_number FROM identities WHERE display_name = 'Ravi Menon'`, {
        employee_number: col.text,
      });
      const [svc] = await rowsOf(
        db,
        sql`SELECT email, display_name AS name FROM identities WHERE kind = 'service_account' AND email IS NOT NULL LIMIT 1`,
        { email: col.textOrNull, name: col.text },
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
        // Both keys must be real and name one person (acceptance testing: a formula in the email column was ignored).
        `${c.employee_number},=HYPERLINK("http://x"),layoff,2026-11-02T17:00:00Z,`,
        `${c.employee_number},nobody.here@tidewater.example,layoff,2026-11-02T17:00:00Z,`,
        // Days that do not exist are refused, not rolled over into March.
        `${c.employee_number},,layoff,2026-02-30T17:00:00Z,`,
        `${c.employee_number},,voluntary,,2026-02-30`,
        ``,
      ].join("\n");
      const before = await counts(db);
      const preview = await previewText(ctx, "hr_leavers", csv, { fileName: "rif.csv" });
      expect(preview.status).toBe("previewed");
      expect(preview.fileErrors).toEqual([]);
      expect(preview.digest).toBe(sha256(csv));
      const rows = await allRows(ctx, preview.id);
      const byLine = Object.fromEntries(rows.map((r) => [r.line, [r.code ?? r.status, r.message]]));
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
      expect(byLine[12][1]).toBe('"=hyperlink("http://x")" is not an email address.');
      expect(byLine[13][1]).toMatch(
        /^No person with email nobody.here@tidewater.example \(employee number .+ is .+\)\.$/,
      );
      expect(byLine[14][1]).toMatch(/Effective time "2026-02-30T17:00:00Z" is not a date and time that exists/);
      expect(byLine[15][1]).toMatch(/Last day "2026-02-30" is not a date that exists/);
      expect(rows).toHaveLength(14);
      expect(rows.find((r) => r.line === 2)).toMatchObject({ targetId: a.id, key: a.employee_number });
      expect(preview.counts).toEqual({ read: 14, ok: 2, error: 10, skipped: 2, applied: 0 });
      expect(preview.codes).toEqual({ duplicate: 1, open_case: 1 });
      // The preview writes nothing outside the run tables: no case, no audit event.
      expect(await counts(db)).toEqual(before);

      const otherFile = sha256(`${csv}\n`);
      await expect(confirmRun(ctx, { runId: preview.id, digest: otherFile })).rejects.toThrow(Conflict);
      const done = await confirmRun(ctx, { runId: preview.id, digest: preview.digest! });
      expect(done.status).toBe("applied");
      expect(done.counts.applied).toBe(2);
      const result = done.summary.result as HrImportResult;
      expect(result).toMatchObject({ imported: 2, skippedRows: 12 });
      const [batch] = await db.select().from(leaverBatches).where(eq(leaverBatches.id, result.batchId!));
      expect(batch).toMatchObject({ source: "hr_import", fileName: "rif.csv", rowCount: 14 });
      // The rows that opened no case stay with the batch: counted in its audit event, listed in its error report.
      expect(batch).toMatchObject({ importRunId: preview.id, rowsNotImported: 12 });
      const [event] = await rowsOf(
        db,
        sql`SELECT (after->>'skipped')::int AS skipped FROM audit_events WHERE action = 'leaver.import' AND target_id = ${String(batch.id)}`,
        { skipped: col.int },
      );
      expect(event.skipped).toBe(12);
      expect((await batchProgress(ctx, batch.id)).notImported).toEqual({ rows: 12, runId: preview.id });
      expect(
        (await batchProgress(await ctxByName(db, "Maya Patel"), batch.id).catch(() => null))?.notImported ?? null,
      ).toBeNull();
      const report: unknown[][] = [];
      for await (const r of await notImportedCsvRows(ctx, preview.id)) report.push(r);
      expect(report.map((r) => r[0])).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      expect(report.find((r) => r[0] === 12)?.[5]).toMatch(/is not an email address/);
      // A run that is not there is refused before anything is streamed (the route answers 404, not a cut CSV).
      await expect(notImportedCsvRows(ctx, 2_000_000_000)).rejects.toThrow(NotFound);
      const cases = await db.select().from(leaverCases).where(eq(leaverCases.batchId, batch.id));
      expect(cases.map((x) => x.identityId).sort()).toEqual([a.id, b.id].sort());
      const voluntary = cases.find((x) => x.identityId === b.id)!;
      expect(voluntary.slaDueAt.toISOString()).toBe("2026-12-01T00:00:00.000Z");
      // Confirming again is refused, and importing the same file again duplicates nobody.
      await expect(confirmRun(ctx, { runId: preview.id, digest: preview.digest! })).rejects.toThrow(
        /You already applied this import/,
      );
      const again = await previewText(ctx, "hr_leavers", csv, { fileName: "rif.csv" });
      expect((await allRows(ctx, again.id)).find((r) => r.line === 2)?.code).toBe("open_case");
    });
  });

  it("opens involuntary rows without a time when the import is applied, and names the batch as asked", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const [a] = await activePeople(db, 1);
      const run = await previewText(
        ctx,
        "hr_leavers",
        `employee_number,reason,effective_at,last_day\n${a.employee_number},layoff,,2026-11-30\n`,
      );
      const [row] = await allRows(ctx, run.id);
      expect(row.data).toMatchObject({ reason: "layoff", effectiveAt: null });
      const later = { ...ctx, now: new Date(ctx.now.getTime() + 3_600_000) };
      const done = await confirmRun(later, { runId: run.id, digest: run.digest!, options: { batchName: "Q4 RIF" } });
      const { batchId } = done.summary.result as HrImportResult;
      const [batch] = await db.select().from(leaverBatches).where(eq(leaverBatches.id, batchId!));
      expect(batch.name).toBe("Q4 RIF");
      const [opened] = await db.select().from(leaverCases).where(eq(leaverCases.batchId, batchId!));
      expect(opened.effectiveAt.toISOString()).toBe(later.now.toISOString());
    });
  });

  it("reports a file without the needed columns (nothing to confirm), a header alone, and rejects the wrong role", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const bad = await previewText(ctx, "hr_leavers", "name,when\nAda,today\n", { fileName: "bad.csv" });
      expect(bad.fileErrors.map((e) => e.message)).toEqual([
        "The file needs an employee_number or an email column.",
        "The file needs a reason column (voluntary, involuntary, layoff or contract_end).",
        "The file needs an effective_at or a last_day column.",
      ]);
      expect(await allRows(ctx, bad.id)).toEqual([]);
      await expect(confirmRun(ctx, { runId: bad.id, digest: sha256("x") })).rejects.toThrow(Conflict);
      const empty = await previewText(ctx, "hr_leavers", "employee_number,reason,last_day\n\n");
      expect(empty.fileErrors).toEqual([{ message: "The file has a header but no rows." }]);
      await expect(confirmRun(ctx, { runId: empty.id, digest: empty.digest! })).rejects.toThrow(
        "The file has a header but no rows.",
      );
      for (const roles of [["manager"], ["executive"], ["approver"]] as const) {
        const wrong = await ctxAs(db, [...roles]);
        await expect(startRun(wrong, { kind: "hr_leavers", source: "ui", fileName: "x.csv" })).rejects.toThrow(
          Forbidden,
        );
      }
    });
  });
});
