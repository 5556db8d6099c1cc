import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { makeCtx } from "@/lib/context";
import { Forbidden } from "@/lib/errors";
import { departmentHeatmap, loadDepartments, systemHeatmap } from "@/lib/factors/heatmap";
import { writeDailySnapshot } from "@/lib/factors/snapshot";
import { postureTrend } from "@/lib/factors/trend";
import { outageByDepartment, outageChannels } from "@/lib/factors/what-if-sql";
import { cronMatches } from "@/lib/jobs/cron";
import { JOB_HANDLERS, JOB_SCHEDULES } from "@/lib/jobs/handlers";
import { actorByName, asAnalyst, ctxAs } from "@/lib/testing/actors";
import { rollback, testDb } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { loadWorld } from "@/lib/testing/posture-oracle";
import { rowsOf } from "@/lib/testing/sql";
import { KPI_METRICS, type KpiMetric, readKpiSeries } from "./history";
import { loadLiveFigures } from "./kpis";
import { loadDashboard } from "./queries";
import { buildTiles, trendOf } from "./tiles";

let db: Db;
beforeAll(async () => {
  db = await testDb();
});
const today = TEST_NOW.toISOString().slice(0, 10);
const one = async (q: ReturnType<typeof sql>) => Number(Object.values((await rowsOf(db, q))[0])[0]);

describe("live figures", () => {
  it("equal an independent count of the raw tables", async () => {
    const live = await loadLiveFigures(await asAnalyst(db));
    const world = await loadWorld(db, TEST_NOW);
    const privileged = world.people.filter((p) => p.privilegedSystems.length > 0);
    expect(live.people).toBe(world.people.length);
    expect(live.phishing_resistant).toBe(world.people.filter((p) => p.posture.phishingResistant).length);
    expect(live.phishing_resistant_privileged).toBe(privileged.filter((p) => p.posture.phishingResistant).length);
    expect(live.fallback_gap).toBe(
      world.people.filter(
        (p) => p.posture.recoveryStrength !== null && p.posture.recoveryStrength < p.posture.primaryStrength,
      ).length,
    );
    const at = TEST_NOW.toISOString();
    expect(live.orphaned_credentials).toBe(
      await one(sql`
      SELECT count(*) FROM credentials c WHERE c.status = 'active'
         AND NOT EXISTS (SELECT 1 FROM identities o WHERE o.id = c.owner_id AND o.status = 'active')`),
    );
    expect(live.stale_bulk_credentials).toBe(
      await one(sql`
      SELECT count(*) FROM credentials c WHERE c.status = 'active' AND coalesce(c.last_used_at, c.created_at) < ${at}::timestamptz - interval '90 days'
         AND c.scopes && ARRAY(SELECT e.scope FROM api_endpoints e WHERE e.system_id = c.issuer_system_id AND e.bulk)`),
    );
    expect(live.open_cases).toBe(
      await one(sql`SELECT count(*) FROM leaver_cases WHERE closed_at IS NULL OR status = 'reopened'`),
    );
    expect(live.break_glass_activations_30d).toBe(
      await one(
        sql`SELECT count(*) FROM break_glass_requests WHERE activated_at BETWEEN ${at}::timestamptz - interval '30 days' AND ${at}::timestamptz`,
      ),
    );
    expect(live.orphaned_credentials! + live.stale_bulk_credentials! + live.open_cases!).toBeGreaterThan(0);
  });
});

describe("daily snapshot job", () => {
  it("writes today's distribution and figures, equal to the live figures, and is idempotent per day", async () => {
    await rollback(async (tx) => {
      const first = await writeDailySnapshot(tx, TEST_NOW);
      const read = async () =>
        rowsOf(tx, sql`SELECT metric, value FROM kpi_snapshots WHERE day = ${today}::date ORDER BY metric`, {
          metric: col.text,
          value: col.num,
        });
      const snapshot = async () =>
        rowsOf(tx, sql`SELECT * FROM posture_snapshots WHERE day = ${today}::date ORDER BY 1, 2, 3, 4, 5, 6`);
      const [figures, distribution] = [await read(), await snapshot()];
      const second = await writeDailySnapshot(tx, TEST_NOW);
      expect(second).toEqual(first);
      expect(await read()).toEqual(figures);
      expect(await snapshot()).toEqual(distribution);
      // The replayed history's "today" means what the live dashboard means.
      const live = await loadLiveFigures(makeCtx((await asAnalyst(tx)).actor, tx, TEST_NOW));
      const stored = Object.fromEntries(figures.map((f) => [f.metric, Number(f.value)]));
      for (const m of KPI_METRICS) {
        if (live[m] === null) expect(stored[m], m).toBeUndefined();
        else expect(stored[m], m).toBeCloseTo(live[m]!, 6);
      }
      const [{ n }] = await rowsOf(
        tx,
        sql`SELECT sum(people)::int AS n FROM posture_snapshots WHERE day = ${today}::date`,
        { n: col.num },
      );
      expect(Number(n)).toBe(live.people);
    });
  });

  it("is registered with the job scheduler (hourly snapshot, five-minute expiry refresh) and runs as a job", async () => {
    const snapshot = JOB_SCHEDULES.find((s) => s.name === "posture.snapshot");
    const expire = JOB_SCHEDULES.find((s) => s.name === "posture.expire");
    expect(snapshot && cronMatches(snapshot.cron, new Date("2026-11-02T13:50:00Z"))).toBe(true);
    expect(expire && cronMatches(expire.cron, new Date("2026-11-02T13:55:00Z"))).toBe(true);
    await rollback(async (tx) => {
      await tx.execute(sql`DELETE FROM posture_snapshots WHERE day = ${today}::date`);
      await tx.execute(sql`DELETE FROM kpi_snapshots WHERE day = ${today}::date`);
      const helpers = { db: tx, now: () => TEST_NOW, enqueue: async () => {}, log: () => {} };
      await JOB_HANDLERS["posture.expire"]({}, helpers);
      await JOB_HANDLERS["posture.snapshot"]({}, helpers);
      const [{ n }] = await rowsOf(tx, sql`SELECT count(*)::int AS n FROM kpi_snapshots WHERE day = ${today}::date`, {
        n: col.num,
      });
      expect(Number(n)).toBeGreaterThanOrEqual(KPI_METRICS.length - 1);
    });
  });

  it("the seed wrote 180 days of every metric's history", async () => {
    const series = await readKpiSeries(
      db,
      KPI_METRICS,
      new Date(TEST_NOW.getTime() - 179 * 86_400_000).toISOString().slice(0, 10),
    );
    for (const m of KPI_METRICS.filter((m) => m !== "median_revocation_hours")) expect(series[m].length, m).toBe(180);
  });
});

describe("tiles", () => {
  const history = (values: Record<string, number[]>, days: number) =>
    Object.fromEntries(
      Object.entries(values).map(([m, vs]) => [
        m,
        vs.map((value, i) => ({
          day: new Date(Date.parse(`${today}T00:00:00Z`) - (days - i) * 86_400_000).toISOString().slice(0, 10),
          value,
        })),
      ]),
    ) as Record<KpiMetric, { day: string; value: number }[]>;

  it("ends each series with today's live value and compares with the value 30 days ago", () => {
    const live = Object.fromEntries(KPI_METRICS.map((m) => [m, 0])) as Record<KpiMetric, number | null>;
    Object.assign(live, {
      people: 200,
      phishing_resistant: 120,
      orphaned_credentials: 4,
      median_revocation_hours: null,
    });
    const h = history(
      {
        people: Array(40).fill(200),
        phishing_resistant: Array.from({ length: 40 }, (_, i) => 80 + i),
        orphaned_credentials: Array(40).fill(9),
      },
      40,
    );
    const tiles = Object.fromEntries(buildTiles(live, h, today).map((t) => [t.key, t]));
    expect(tiles.pr_coverage.value).toBe(60);
    expect(tiles.pr_coverage.series.at(-1)).toEqual({ day: today, value: 60 });
    expect(tiles.pr_coverage.previous).toBe(45); // 30 days before today: day index 10 → 90 of 200
    expect(trendOf(tiles.pr_coverage)).toEqual({ direction: "up", good: true, delta: 15 });
    expect(trendOf(tiles.orphaned_credentials)).toEqual({ direction: "down", good: true, delta: -5 });
    expect(tiles.median_revocation.value).toBeNull();
    expect(trendOf(tiles.median_revocation).direction).toBe("flat");
  });
});

describe("executives see aggregates only", () => {
  it("nothing an executive's pages read names a seeded person or shows their email", async () => {
    const elena = makeCtx(await actorByName(db, "Elena Rossi"), db, TEST_NOW);
    const departments = await loadDepartments(elena);
    const payload = JSON.stringify([
      await loadDashboard(elena),
      await departmentHeatmap(elena, { privilegedOnly: false }),
      await departmentHeatmap(elena, { privilegedOnly: true }),
      await systemHeatmap(elena, { mode: "effective" }),
      await postureTrend(elena, { privilegedOnly: false }),
      await outageChannels(elena),
      await outageByDepartment(elena, "sms", departments),
    ]);
    const people = await rowsOf(db, sql`SELECT display_name AS name, email FROM identities`, {
      name: col.text,
      email: col.textOrNull,
    });
    const leaked = people.filter(
      (p) => payload.includes(p.name) || (p.email && payload.toLowerCase().includes(p.email.toLowerCase())),
    );
    expect(leaked).toEqual([]);
    expect(payload.length).toBeGreaterThan(1000);
  });

  it("the dashboard needs dashboard.view", async () => {
    await expect(loadDashboard(await ctxAs(db, []))).rejects.toThrow(Forbidden);
  });
});
