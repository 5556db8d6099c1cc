import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { demoPersona, listPersonas } from "@/lib/people/console-users";
import { rollback } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";
import { demoMode } from "./config";

describe("demo sign-in", () => {
  it("is on only when asked for, and refused on PostgreSQL unless the database is declared a throwaway", () => {
    expect(demoMode({})).toEqual({ enabled: false, refused: null });
    expect(demoMode({ LOCKSTEP_DEMO: "0" })).toEqual({ enabled: false, refused: null });
    expect(demoMode({ LOCKSTEP_DEMO: "1" })).toEqual({ enabled: true, refused: null });
    const pg = demoMode({ LOCKSTEP_DEMO: "1", DATABASE_URL: "postgres://app@db:5432/lockstep" });
    expect(pg.enabled).toBe(false);
    expect(pg.refused).toMatch(/DATABASE_URL is set.*LOCKSTEP_DEMO_THROWAWAY_DB=1/);
    expect(
      demoMode({ LOCKSTEP_DEMO: "1", DATABASE_URL: "postgres://app@db:5432/ci", LOCKSTEP_DEMO_THROWAWAY_DB: "1" }),
    ).toEqual({ enabled: true, refused: null });
    // The throwaway switch alone turns nothing on.
    expect(demoMode({ LOCKSTEP_DEMO_THROWAWAY_DB: "1" }).enabled).toBe(false);
  });

  it("sees a DATABASE_URL kept in .env.local from the scripts too, as next start does (so demo stays off)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lockstep-env-"));
    writeFileSync(path.join(dir, ".env.local"), "DATABASE_URL=postgres://app@db.internal:5432/lockstep\n");
    const root = path.resolve(__dirname, "..", "..");
    const probe = `await import(${JSON.stringify(path.join(root, "scripts/load-env.ts"))});
      const m = await import(${JSON.stringify(path.join(root, "lib/auth/config.ts"))});
      const demoMode = m.demoMode ?? m.default.demoMode;
      console.log(JSON.stringify({ url: process.env.DATABASE_URL ?? null, demo: demoMode() }));`;
    // As under npm start: no database URL or throwaway switch given (undefined is not passed on), production mode
    // (Next skips .env.local when NODE_ENV is "test", as it is in this runner).
    const env = {
      ...process.env,
      NODE_ENV: "production" as const,
      LOCKSTEP_DEMO: "1",
      DATABASE_URL: undefined,
      LOCKSTEP_DEMO_THROWAWAY_DB: undefined,
    };
    const out = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["--input-type=module", "-e", probe], {
      cwd: dir,
      env,
      encoding: "utf8",
    });
    expect(out.status, out.stderr).toBe(0);
    const seen = JSON.parse(out.stdout.trim().split("\n").pop()!);
    expect(seen.url).toBe("postgres://app@db.internal:5432/lockstep");
    expect(seen.demo.enabled).toBe(false);
    expect(seen.demo.refused).toMatch(/DATABASE_URL is set/);
  });

  it("signs in the listed personas only, never another console user picked by id", async () => {
    await rollback(async (db) => {
      const listed = await listPersonas(db);
      expect(listed.length).toBeGreaterThan(0);
      expect(await demoPersona(db, listed[0].id)).toMatchObject({ id: listed[0].id, name: listed[0].name });
      const others = await rowsOf(
        db,
        sql`SELECT DISTINCT r.identity_id AS id FROM console_roles r JOIN identities i ON i.id = r.identity_id
             WHERE i.status = 'active' AND i.kind = 'human' ORDER BY 1`,
        { id: col.int },
      );
      const unlisted = others.find((o) => !listed.some((p) => p.id === o.id));
      expect(unlisted, "the demo seed has more console users than the sign-in page lists").toBeDefined();
      expect(await demoPersona(db, unlisted!.id)).toBeNull();
      expect(await demoPersona(db, 2_000_000_000)).toBeNull();
    });
  });
});
