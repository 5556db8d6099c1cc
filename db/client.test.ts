import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type DbHandle, openDatabase, openPglite } from "./client";
import { DatabaseSetupError } from "./errors";
import { acquirePgliteLock } from "./pglite-lock";

const scratch = mkdtempSync(path.join(tmpdir(), "lockstep-client-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const savedUrl = process.env.DATABASE_URL;
afterEach(() => {
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
});

/** Environment for child processes: the embedded database in `dataDir`, never the developer's. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...extra };
  if (!("DATABASE_URL" in extra)) delete env.DATABASE_URL;
  return env;
}

type Finished = { code: number | null; stdout: string; stderr: string };

function finished(child: ChildProcess): Promise<Finished> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += d));
  child.stderr?.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return finished(spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] }));
}

/** What the operator sees: output minus npm's own config warnings. */
const meaningful = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l && !l.startsWith("npm warn"));

/** Starts lib/testing/hold-pglite.ts on `dataDir` in its own process group; resolves once it holds the lock. */
async function holder(dataDir: string): Promise<{ pid: number; stop: (signal: NodeJS.Signals) => Promise<Finished> }> {
  const child = spawn("npx", ["tsx", "lib/testing/hold-pglite.ts", dataDir], {
    env: childEnv({}),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const done = finished(child);
  const pid = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /ready (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void done.then((r) => reject(new Error(`holder exited early (${r.code}): ${r.stderr}`)));
  });
  return {
    pid,
    // SIGTERM to the holder itself (it closes and exits 0); SIGKILL to the whole group, as a crash would.
    stop: (signal) => {
      process.kill(signal === "SIGKILL" ? -child.pid! : pid, signal);
      return done;
    },
  };
}

/** Waits until a killed process has really gone (a zombie still answers kill(pid, 0) until it is reaped). */
async function gone(pid: number): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`process ${pid} did not go away`);
}

function expectOneLine(err: unknown, pattern: RegExp): void {
  expect(err).toBeInstanceOf(DatabaseSetupError);
  const message = (err as Error).message;
  expect(message).not.toContain("\n");
  expect(message).toMatch(pattern);
}

async function openError(fn: () => Promise<DbHandle>): Promise<unknown> {
  try {
    const handle = await fn();
    await handle.close();
  } catch (err) {
    return err;
  }
  throw new Error("expected opening the database to fail");
}

describe("PGlite folder lock", () => {
  it("refuses a second process on the same folder, naming the process that holds it", async () => {
    const dir = path.join(scratch, "held-here");
    const handle = await openPglite(dir);
    try {
      const result = await run("npx", ["tsx", "scripts/migrate.ts"], childEnv({ LOCKSTEP_DATA_DIR: dir }));
      expect(result.code).toBe(1);
      const lines = meaningful(result.stderr);
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^lockstep: The embedded database ${dir} is in use by process ${process.pid} \\(`),
      );
      expect(lines[0]).toMatch(/LOCKSTEP_DATA_DIR/);
    } finally {
      await handle.close();
    }
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it("refuses this process while another one holds the folder; opens once that one has exited", async () => {
    const dir = path.join(scratch, "held-there");
    const other = await holder(dir);
    try {
      const err = await openError(() => openPglite(dir));
      expectOneLine(err, new RegExp(`is in use by process ${other.pid} \\(.*hold-pglite.*\\) since `));
    } finally {
      expect((await other.stop("SIGTERM")).code).toBe(0);
    }
    expect(existsSync(`${dir}.lock`)).toBe(false);
    acquirePgliteLock(dir)();
  });

  it("takes over a stale lock left by a process that was killed", async () => {
    const dir = path.join(scratch, "killed");
    const other = await holder(dir);
    await other.stop("SIGKILL");
    await gone(other.pid);
    expect(JSON.parse(readFileSync(`${dir}.lock`, "utf8")).pid).toBe(other.pid);
    // The lock is what decides (opening the folder itself is PGlite's business, and slow).
    const release = acquirePgliteLock(dir);
    expect(JSON.parse(readFileSync(`${dir}.lock`, "utf8")).pid).toBe(process.pid);
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it("takes over a lock file naming a dead pid, or one that cannot be read", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    for (const [name, content] of [
      ["dead-pid", JSON.stringify({ pid: dead, command: "gone", since: "2026-01-01T00:00:00.000Z" })],
      ["garbage", "not json"],
    ]) {
      const dir = path.join(scratch, name);
      writeFileSync(`${dir}.lock`, content);
      const release = acquirePgliteLock(dir);
      expect(JSON.parse(readFileSync(`${dir}.lock`, "utf8")).pid).toBe(process.pid);
      release();
    }
  });
});

describe("PGlite folder lock under a race, and the folder's privacy", () => {
  it("lets exactly one of several processes starting at the same moment take the lock, round after round", async () => {
    for (let round = 0; round < 3; round++) {
      const dir = path.join(scratch, `race-${round}`);
      const startAt = Date.now() + 6000;
      const racers = Array.from({ length: 5 }, () =>
        run(
          process.execPath,
          ["--import", "tsx", "lib/testing/race-pglite-lock.ts", dir, String(startAt)],
          childEnv({}),
        ),
      );
      const outputs = (await Promise.all(racers)).map((r) => r.stdout.trim() || r.stderr);
      expect(
        outputs.filter((o) => o === "held"),
        outputs.join(" | "),
      ).toHaveLength(1);
      expect(outputs.filter((o) => o === "refused")).toHaveLength(4);
      expect(existsSync(`${dir}.lock`)).toBe(false);
    }
  });

  it("keeps the data folder and every file in it private to the owner", async () => {
    const dir = path.join(scratch, "private");
    const handle = await openPglite(dir);
    await handle.db.execute(sql`CREATE TABLE made_later (id int)`);
    await handle.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(100);
    const open = files.filter((f) => statSync(path.join(f.parentPath, f.name)).mode & 0o077);
    expect(open.map((f) => f.name)).toEqual([]);
  });
});

describe("DATABASE_URL problems are one line naming DATABASE_URL", () => {
  it.each([
    ["an invalid URL", "not a url", /^DATABASE_URL is not a valid URL; expected postgres:\/\//],
    [
      "a wrong scheme",
      "mysql://lockstep:pw@127.0.0.1:3306/lockstep",
      /^DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/ \(got mysql:\/\/\)/,
    ],
    ["no database name", "postgres://lockstep@127.0.0.1:5432", /^DATABASE_URL names no database/],
    [
      "a refused port",
      "postgres://lockstep:s3cret-pw@127.0.0.1:1/lockstep_test",
      /^Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/lockstep_test \(from DATABASE_URL\): connection refused\.$/,
    ],
  ])("%s", async (_, url, pattern) => {
    process.env.DATABASE_URL = url;
    const err = await openError(openDatabase);
    expectOneLine(err, pattern);
    expect((err as Error).message).not.toContain("s3cret-pw");
  });

  it.runIf(Boolean(savedUrl))("a database that does not exist on a reachable server", async () => {
    const url = new URL(savedUrl!);
    url.pathname = "/lockstep_no_such_database_test";
    process.env.DATABASE_URL = url.toString();
    expectOneLine(await openError(openDatabase), /\(from DATABASE_URL\): database does not exist\.$/);
  });

  it("`npm run db:migrate` against an unreachable server exits 1 with one line and no stack trace", async () => {
    const result = await run(
      "npm",
      ["run", "--silent", "db:migrate"],
      childEnv({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/lockstep_test" }),
    );
    expect(result.code).toBe(1);
    expect(meaningful(result.stdout)).toEqual([]);
    expect(meaningful(result.stderr)).toEqual([
      "lockstep: Cannot connect to PostgreSQL at 127.0.0.1:1/lockstep_test (from DATABASE_URL): connection refused.",
    ]);
  });
});
