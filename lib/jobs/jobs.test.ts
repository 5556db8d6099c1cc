import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDatabase } from "@/db/client";
import { col } from "@/db/rows";
import { rollback, testDb } from "@/lib/testing/db";
import { testDatabaseUrl } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { cronMatches } from "./cron";
import { enqueueJobs } from "./enqueue";
import { migrateGraphile, startGraphileWorker } from "./graphile";
import { LocalRunner } from "./local-runner";
import type { JobHandlers, JobSpec } from "./types";

/** A handler that records how many jobs of its group run at once. */
function probe() {
  const running = new Map<string, number>();
  const peak = new Map<string, number>();
  const done: number[] = [];
  const handlers: JobHandlers = {
    "test.probe": async (payload) => {
      const group = String(payload.group);
      running.set(group, (running.get(group) ?? 0) + 1);
      peak.set(group, Math.max(peak.get(group) ?? 0, running.get(group)!));
      await new Promise((r) => setTimeout(r, 60));
      running.set(group, running.get(group)! - 1);
      done.push(Number(payload.n));
    },
  };
  return { handlers, peak, done };
}
const job = (n: number, group: string, limit: number, at: Date): JobSpec => ({
  name: "test.probe",
  payload: { n, group },
  key: `probe:${group}:${n}`,
  runAt: at,
  concurrency: { group, limit, slot: n },
});

describe("local runner (embedded PGlite)", () => {
  it("runs every due job once, keeps each group within its limit, and leaves future jobs alone", async () => {
    await rollback(async (db) => {
      const now = new Date("2026-11-02T09:00:00Z");
      const p = probe();
      const runner = new LocalRunner(db, p.handlers, { concurrency: 6, now: () => now, log: () => {} });
      await enqueueJobs(
        db,
        [
          ...Array.from({ length: 8 }, (_, i) => job(i, "system:a", 2, now)),
          ...Array.from({ length: 4 }, (_, i) => job(100 + i, "system:b", 1, now)),
          job(999, "system:a", 2, new Date(now.getTime() + 60_000)),
        ],
        "local",
      );
      await runner.drain();
      expect(p.done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 100, 101, 102, 103]);
      expect(p.peak.get("system:a")).toBeLessThanOrEqual(2);
      expect(p.peak.get("system:b")).toBe(1);
      // Enqueuing the same key again replaces the waiting job instead of adding one.
      await enqueueJobs(db, [job(999, "system:a", 2, new Date(now.getTime() + 30_000))], "local");
      const rows = await rowsOf(db, sql`SELECT count(*)::int AS n FROM local_jobs WHERE key = 'probe:system:a:999'`, {
        n: col.int,
      });
      expect(rows[0].n).toBe(1);
    });
  });

  it("retries a crashing handler with backoff, then gives up", async () => {
    await rollback(async (db) => {
      let now = new Date("2026-11-02T09:00:00Z");
      let calls = 0;
      const runner = new LocalRunner(
        db,
        {
          "test.crash": async () => {
            calls++;
            throw new Error("boom");
          },
        },
        { now: () => now, log: () => {} },
      );
      await enqueueJobs(db, [{ name: "test.crash", payload: {}, runAt: now, maxAttempts: 2 }], "local");
      await runner.drain();
      expect(calls).toBe(1);
      now = new Date(now.getTime() + 10_000);
      await runner.drain();
      expect(calls).toBe(2);
      now = new Date(now.getTime() + 3_600_000);
      await runner.drain();
      expect(calls).toBe(2);
    });
  });

  it("matches cron patterns in UTC", () => {
    expect(cronMatches("0 4 * * *", new Date("2026-11-02T04:00:00Z"))).toBe(true);
    expect(cronMatches("0 4 * * *", new Date("2026-11-02T05:00:00Z"))).toBe(false);
    expect(cronMatches("*/15 * * * 1-5", new Date("2026-11-02T09:30:00Z"))).toBe(true);
    expect(cronMatches("*/15 * * * 1-5", new Date("2026-11-01T09:30:00Z"))).toBe(false);
  });
});

describe.skipIf(!testDatabaseUrl())("graphile-worker (PostgreSQL)", () => {
  const runners: { stop: () => Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
  });

  it("shares jobs between two worker processes and holds a group's limit across them", async () => {
    await testDb();
    const url = testDatabaseUrl()!;
    await migrateGraphile(url);
    const { db } = await getDatabase();
    const p = probe();
    const now = new Date();
    // Committed (not in a rolled-back transaction): graphile's own connections must see the jobs.
    await enqueueJobs(
      db,
      Array.from({ length: 12 }, (_, i) => job(i, "system:g", 3, now)),
      "graphile",
    );
    for (let i = 0; i < 2; i++)
      runners.push(
        await startGraphileWorker({
          connectionString: url,
          db,
          handlers: p.handlers,
          concurrency: 4,
          schedules: [],
          pollInterval: 100,
        }),
      );
    const deadline = Date.now() + 20_000;
    while (p.done.length < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(p.done.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(p.peak.get("system:g")).toBeLessThanOrEqual(3);
    expect(p.peak.get("system:g")).toBeGreaterThan(1);
  });
});
