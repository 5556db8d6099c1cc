import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { col } from "@/db/rows";
import { SNAPSHOT_FILE } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";

/**
 * `npm run console:grant` end to end — the documented recovery of a locked-out installation — as a real process
 * on a scratch copy of the embedded database (the server is not running, as the README says).
 */
const scratch = mkdtempSync(path.join(tmpdir(), "lockstep-console-grant-"));
const dataDir = path.join(scratch, "pglite");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LOCKSTEP_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const child = spawn(
    path.join("node_modules", ".bin", "tsx"),
    ["--conditions=react-server", "scripts/console-grant.ts", ...args],
    { env, stdio: ["ignore", "pipe", "pipe"] },
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

const RESCUER = "rescue.admin@cli-test.example";
const LEAVER = "gone.person@cli-test.example";

beforeAll(async () => {
  const snapshot = existsSync(SNAPSHOT_FILE) ? new Blob([readFileSync(SNAPSHOT_FILE)]) : undefined;
  const handle = await openPglite(dataDir, snapshot);
  try {
    if (!snapshot) await migrateDatabase(handle);
    // The locked-out installation: nobody holds the admin role any more.
    await handle.db.execute(sql`DELETE FROM console_roles WHERE role = 'admin'`);
    await handle.db.execute(
      sql`INSERT INTO identities (kind, display_name, email, status) VALUES
            ('human', 'Rescue Admin', ${RESCUER}, 'active'), ('human', 'Gone Person', ${LEAVER}, 'leaver')`,
    );
  } finally {
    await handle.close();
  }
}, 300_000);

describe("npm run console:grant", () => {
  it("gives an active person the admin role as a named system actor, audited; a second run changes nothing", async () => {
    const run = await cli(["--email", RESCUER.toUpperCase(), "--role", "admin"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Rescue Admin \(#\d+\) now holds the admin console role/);

    const again = await cli(["--email", RESCUER, "--role=admin"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("already holds the Administrator role. Nothing changed.");

    const handle = await openPglite(dataDir);
    try {
      const rows = await rowsOf(
        handle.db,
        sql`SELECT r.role::text AS role, r.granted_by_id AS by,
                   (SELECT count(*)::int FROM audit_events e WHERE e.action = 'console_role.grant'
                       AND e.target_id = i.id::text AND e.actor_label = ${`console:grant CLI (${userInfo().username})`}
                       AND e.actor_id IS NULL) AS audited
              FROM identities i JOIN console_roles r ON r.identity_id = i.id WHERE i.email = ${RESCUER}`,
        { role: col.text, by: col.intOrNull, audited: col.num },
      );
      expect(rows).toEqual([{ role: "admin", by: null, audited: 1 }]);
    } finally {
      await handle.close();
    }
  }, 120_000);

  it("refuses a leaver and an unknown email (exit 1), and explains its usage (exit 2)", async () => {
    const leaver = await cli(["--email", LEAVER, "--role", "admin"]);
    expect(leaver.code).toBe(1);
    expect(leaver.stderr).toContain("is not active (leaver)");
    const unknown = await cli(["--email", "nobody@cli-test.example", "--role", "admin"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("nobody in");
    for (const args of [[], ["--email", RESCUER], ["--email", RESCUER, "--role", "root"], ["--bogus"]]) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("Usage: npm run console:grant");
    }
  }, 120_000);
});
