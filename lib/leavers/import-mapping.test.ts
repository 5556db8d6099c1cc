import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { confirmRun } from "@/lib/imports";
import { listMappings, saveMapping } from "@/lib/imports/mappings";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { allRows, previewText } from "@/lib/testing/imports";
import { rowsOf } from "@/lib/testing/sql";

const people = (db: Parameters<Parameters<typeof rollback>[0]>[0]) =>
  rowsOf(
    db,
    sql`SELECT id, employee_number, email FROM identities i WHERE kind = 'human' AND status = 'active' AND employee_number IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
         AND NOT EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = i.id) ORDER BY id LIMIT 2`,
    { id: col.int, employee_number: col.text, email: col.text },
  );

describe("HR leaver files through a column mapping", () => {
  it("reads a Workday export through its preset, and a custom mapping saved for the source", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const [a, b] = await people(db);
      const workday = [
        "Worker,Employee ID,Email,Primary Work Email,Primary Termination Reason,Termination Date",
        `Ada,${a.employee_number},old@example.com,${a.email},Resignation,2026-11-30`,
      ].join("\n");
      const run = await previewText(ctx, "hr_leavers", workday, { params: { mapping: "workday" } });
      expect(run.fileErrors).toEqual([]);
      expect((await allRows(ctx, run.id))[0]).toMatchObject({ status: "ok", targetId: a.id });
      const done = await confirmRun(ctx, { runId: run.id, digest: run.digest! });
      expect(done.counts.applied).toBe(1);

      // Without the mapping, the Workday headers name no field it needs.
      const unmapped = await previewText(ctx, "hr_leavers", workday.replace("Email,", "Mail,"));
      expect(unmapped.fileErrors.map((e) => e.message)).toContain(
        "The file needs a reason column (voluntary, involuntary, layoff or contract_end).",
      );

      await saveMapping(ctx, {
        kind: "hr_leavers",
        source: "Payroll export",
        fields: { employee_number: "Pers.-Nr.", reason: "Austrittsgrund", last_day: "Austritt" },
      });
      const custom = await previewText(
        ctx,
        "hr_leavers",
        `Pers.-Nr.,Austrittsgrund,Austritt\n${b.employee_number},layoff,2026-11-30\n`,
        { params: { mapping: "Payroll export" } },
      );
      expect((await allRows(ctx, custom.id))[0]).toMatchObject({ status: "ok", targetId: b.id });
      const listed = await listMappings(ctx, { kind: "hr_leavers" });
      expect(listed.mappings.map((m) => [m.source, m.preset])).toEqual([
        ["Workday", true],
        ["BambooHR", true],
        ["Personio", true],
        ["Payroll export", false],
      ]);
    });
  });
});
