import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
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

/** `npm run scim:token` end to end, as a real process on a scratch copy of the embedded database. */
const scratch = mkdtempSync(path.join(tmpdir(), "lockstep-scim-token-"));
const dataDir = path.join(scratch, "pglite");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LOCKSTEP_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const child = spawn(
    path.join("node_modules", ".bin", "tsx"),
    ["--conditions=react-server", "scripts/scim-token.ts", ...args],
    {
      env,
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

beforeAll(async () => {
  // An empty migrated database is enough (tokens need no seed); the snapshot when there is one.
  const snapshot = existsSync(SNAPSHOT_FILE) ? new Blob([readFileSync(SNAPSHOT_FILE)]) : undefined;
  const handle = await openPglite(dataDir, snapshot);
  try {
    if (!snapshot) await migrateDatabase(handle);
  } finally {
    await handle.close();
  }
}, 300_000);

describe("npm run scim:token", () => {
  it("prints the token once as the last line, keeps its hash, audits, lists and revokes", async () => {
    const made = await cli(["--name", "Entra ID (CLI)"]);
    expect(made.code, made.stderr).toBe(0);
    const lines = made.stdout.trim().split("\n");
    const token = lines.at(-1)!;
    expect(token).toMatch(/^lsp_[A-Za-z0-9_-]{43}$/);
    expect(made.stdout.split(token)).toHaveLength(2); // printed exactly once
    expect(lines[0]).toMatch(/^Provisioning client #(\d+) "Entra ID \(CLI\)" created/);
    const id = Number(/#(\d+)/.exec(lines[0])![1]);

    const handle = await openPglite(dataDir);
    try {
      const [row] = await rowsOf(
        handle.db,
        sql`SELECT token_hash, created_by_label,
                   (SELECT count(*)::int FROM audit_events WHERE action = 'scim.token_create' AND target_id = ${String(id)}) AS audited
              FROM machine_clients WHERE id = ${id}`,
        { token_hash: col.text, created_by_label: col.text, audited: col.num },
      );
      expect(row).toEqual({
        token_hash: createHash("sha256").update(token).digest("hex"),
        created_by_label: `scim:token CLI (${userInfo().username})`,
        audited: 1,
      });
      const [{ n }] = await rowsOf(
        handle.db,
        sql`SELECT count(*)::int AS n FROM audit_events WHERE after::text LIKE ${`%${token.slice(8)}%`}`,
        { n: col.num },
      );
      expect(n).toBe(0); // the token itself is never in the audit log
    } finally {
      await handle.close();
    }

    const dup = await cli(["--name", "entra id (cli)"]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("already has a live token");

    const list = await cli(["--list"]);
    expect(list.stdout).toMatch(new RegExp(`#${id}  Entra ID \\(CLI\\)  lsp_.{4}…  .* last used never`));
    const revoked = await cli(["--revoke", String(id)]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await cli(["--list"])).stdout).toMatch(new RegExp(`#${id} .* revoked `));
  }, 120_000);

  it("explains its usage (exit 2)", async () => {
    for (const args of [[], ["--name"], ["--name", "  "], ["--revoke", "x"], ["--bogus"], ["--list", "--name", "x"]]) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("Usage: npm run scim:token");
    }
  }, 120_000);
});
