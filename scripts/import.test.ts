import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openPglite } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { col } from "@/db/rows";
import { seed } from "@/db/seed";
import { SNAPSHOT_FILE, TEST_NOW, testDatabaseUrl } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";

/**
 * `npm run import` end to end: a real process on a scratch copy of the seeded embedded database (and, when
 * the suite runs on PostgreSQL, a dry run against it — a dry run leaves nothing behind but a discarded run).
 */
const scratch = mkdtempSync(path.join(tmpdir(), "lockstep-import-cli-"));
const dataDir = path.join(scratch, "pglite");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Finished = { code: number | null; stdout: string; stderr: string };

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Finished> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LOCKSTEP_DATA_DIR: dataDir };
  delete childEnv.DATABASE_URL;
  Object.assign(childEnv, env);
  const child = spawn(
    path.join("node_modules", ".bin", "tsx"),
    ["--conditions=react-server", "scripts/import.ts", ...args],
    {
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function withDb<T>(fn: (h: DbHandle) => Promise<T>): Promise<T> {
  const handle = await openPglite(dataDir);
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

const file = (name: string, text: string) => {
  const p = path.join(scratch, name);
  writeFileSync(p, text);
  return p;
};

let people: { id: number; n: string }[] = [];
const cliActor = `import CLI (${userInfo().username})`;

beforeAll(async () => {
  // The seeded snapshot, unpacked into a folder of its own: the CLI opens it as the server would. A run on
  // PostgreSQL alone has no snapshot (its global setup seeds PostgreSQL): seed the folder here instead.
  const snapshot = existsSync(SNAPSHOT_FILE) ? new Blob([readFileSync(SNAPSHOT_FILE)]) : undefined;
  const handle = await openPglite(dataDir, snapshot);
  try {
    if (!snapshot) {
      await migrateDatabase(handle);
      await seed(handle.db, { scale: "demo", now: TEST_NOW });
    }
    people = await rowsOf(
      handle.db,
      sql`SELECT id, employee_number AS n FROM identities i WHERE kind = 'human' AND status = 'active' AND employee_number IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
            AND NOT EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = i.id AND c.status <> 'closed')
          ORDER BY id LIMIT 2`,
      { id: col.num, n: col.text },
    );
  } finally {
    await handle.close();
  }
}, 300_000);

describe("npm run import", () => {
  it("prints progress and every error with its line; --dry-run and a missing --yes write nothing and exit 1", async () => {
    const csv = file(
      "rif.csv",
      `employee_number,reason,last_day\n${people[0].n},layoff,2026-11-30\n${people[1].n},layoff,2026-11-30\nE-NOPE,layoff,2026-11-30\n`,
    );
    const dry = await cli(["hr_leavers", csv, "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(1);
    expect(dry.stdout).toMatch(/read 3 rows: 2 ok, 1 with errors, 0 skipped/);
    expect(dry.stdout).toContain(`as ${cliActor}`);
    expect(dry.stderr).toContain("line 4: No person with employee number E-NOPE.");
    expect(dry.stdout).toContain("Dry run: nothing was written (2 rows would be applied).");

    const unasked = await cli(["hr_leavers", csv]);
    expect(unasked.code).toBe(1);
    expect(unasked.stderr).toContain("Not applied: pass --yes to apply without a prompt.");

    await withDb(async ({ db }) => {
      const [w] = await rowsOf(
        db,
        sql`SELECT (SELECT count(*)::int FROM leaver_cases WHERE identity_id IN (${people[0].id}, ${people[1].id})) AS cases,
                   (SELECT array_agg(status::text ORDER BY id) FROM import_runs) AS runs`,
        { cases: col.num, runs: col.textArray },
      );
      expect(w).toEqual({ cases: 0, runs: ["discarded", "discarded"] });
    });
  }, 90_000);

  it("applies with --yes as a named system actor through the same pipeline, and refuses a file with nothing to apply", async () => {
    const csv = file(
      "apply.csv",
      `employee_number,reason,last_day\n${people[0].n},layoff,2026-11-30\n${people[1].n},layoff,2026-11-30\nE-NOPE,layoff,2026-11-30\n`,
    );
    const applied = await cli(["hr_leavers", csv, "--yes", "--batch-name", "CLI layoff"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Applied import #\d+: 2 written \(batchId \d+, imported 2, skippedRows 1\)\./);

    const nothing = await cli([
      "hr_leavers",
      file("none.csv", "employee_number,reason,last_day\nE-NOPE,layoff,\n"),
      "--yes",
    ]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("line 2: Give an effective time or a last day.");
    expect(nothing.stderr).toContain("lockstep: No row of this file can be imported.");
    expect(nothing.stderr).toContain("Nothing was written.");

    const usage = await cli(["hr_leavers"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage: npm run import -- <kind> <file>");

    await withDb(async ({ db }) => {
      const runs = await rowsOf(
        db,
        sql`SELECT source::text, status::text, started_by_label AS started, applied_by_label AS applied FROM import_runs ORDER BY id`,
        { source: col.text, status: col.text, started: col.text, applied: col.textOrNull },
      );
      expect(runs.slice(-2)).toEqual([
        { source: "cli", status: "applied", started: cliActor, applied: cliActor },
        { source: "cli", status: "discarded", started: cliActor, applied: null },
      ]);
      const cases = await rowsOf(
        db,
        sql`SELECT b.name AS batch, c.opened_by_id AS opened_by FROM leaver_cases c JOIN leaver_batches b ON b.id = c.batch_id
             WHERE c.identity_id IN (${people[0].id}, ${people[1].id})`,
        { batch: col.text, opened_by: col.numOrNull },
      );
      expect(cases).toEqual([
        { batch: "CLI layoff", opened_by: null },
        { batch: "CLI layoff", opened_by: null },
      ]);
      const events = await rowsOf(
        db,
        sql`SELECT action FROM audit_events WHERE actor_label = ${cliActor} ORDER BY id`,
        { action: col.text },
      );
      expect(events.map((e) => e.action)).toEqual(["leaver.import", "leaver.open", "leaver.open", "import.apply"]);
    });
  }, 90_000);

  it("imports an HR roster (hr_people): joiners with a manager further down the file; the same file again changes nothing", async () => {
    const roster = file(
      "roster.csv",
      [
        "employee_number,email,name,title,department,manager",
        "CLI-2,cli.two@example.com,Cli Two,Engineer,Platform CLI,CLI-1",
        "CLI-1,cli.one@example.com,Cli One,Lead,Platform CLI,",
        "CLI-3,,,Engineer,Platform CLI,",
      ].join("\n"),
    );
    const applied = await cli(["hr_people", roster, "--yes"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain("line 4: A new person needs a name.");
    // The result's facts in whatever order the stored summary keeps them.
    expect(applied.stdout).toMatch(/Applied import #\d+: 2 written \(.*joined 2.*\)\./);
    expect(applied.stdout).toMatch(/departmentsCreated 1/);
    const again = await cli(["hr_people", roster, "--yes"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("lockstep: No row of this file can be imported.");
    await withDb(async ({ db }) => {
      const rows = await rowsOf(
        db,
        sql`SELECT i.employee_number AS n, m.employee_number AS manager, d.name AS department
              FROM identities i JOIN departments d ON d.id = i.department_id LEFT JOIN identities m ON m.id = i.manager_id
             WHERE i.employee_number LIKE 'CLI-%' ORDER BY i.employee_number`,
        { n: col.text, manager: col.textOrNull, department: col.text },
      );
      expect(rows).toEqual([
        { n: "CLI-1", manager: null, department: "Platform CLI" },
        { n: "CLI-2", manager: "CLI-1", department: "Platform CLI" },
      ]);
    });
  }, 90_000);

  it("refuses to run while another process (the server) holds the embedded database, saying so", async () => {
    const csv = file("held.csv", `employee_number,reason,last_day\n${people[0].n},layoff,2026-11-30\n`);
    const result = await withDb(() => cli(["hr_leavers", csv, "--yes"]));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^lockstep: The embedded database ${dataDir} is in use by process ${process.pid} \\(`),
    );
    expect(result.stderr).toContain("Imports into the embedded database run while the server is stopped");
  }, 60_000);

  it.runIf(testDatabaseUrl())(
    "dry-runs against PostgreSQL with the same checks",
    async () => {
      const csv = file("pg.csv", "employee_number,reason,last_day\nE-NOPE,layoff,2026-11-30\n");
      const result = await cli(["hr_leavers", csv, "--dry-run"], { DATABASE_URL: testDatabaseUrl()! });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toMatch(/into PostgreSQL /);
      expect(result.stderr).toContain("line 2: No person with employee number E-NOPE.");
    },
    60_000,
  );
});
