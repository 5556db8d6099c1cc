import { sql } from "drizzle-orm";
import type { Db, DbHandle } from "@/db/client";
import { col } from "@/db/rows";
import { type UserActor, userActor } from "@/lib/authz";
import { makeCtx } from "@/lib/context";
import { loadLiveFigures } from "@/lib/dashboard/kpis";
import { loadDashboard } from "@/lib/dashboard/queries";
import { departmentHeatmap, loadDepartments, systemHeatmap } from "@/lib/factors/heatmap";
import { listCellPeople } from "@/lib/factors/people";
import { cellPeopleInput } from "@/lib/factors/schemas";
import { postureTrend } from "@/lib/factors/trend";
import { outageByDepartment } from "@/lib/factors/what-if-sql";
import { rowsOf } from "@/lib/testing/sql";
import { firstLoadJs, timeDashboardRender } from "./factors-app";
import { type BenchSuite, type Measurement, timeIt } from "./types";

/**
 * Factor strength and the executive dashboard at the large seed (issue 4): heatmap and KPI data under 20 ms
 * each (read from the identity_posture rollup, against ~175 ms / ~230 ms for the live computation), the
 * dashboard's server render under 300 ms for a signed-in executive, and the first-load JavaScript of every
 * route from the build, the dashboard's under 250 kB gzipped. Also reported: the what-if, the trend, a cell's
 * first page, and what keeping one person's rollup current costs inside a write.
 */

async function actorNamed(db: Db, name: string, roles: UserActor["roles"]): Promise<UserActor> {
  const [a] = await rowsOf(db, sql`SELECT id FROM identities WHERE display_name = ${name}`, { id: col.num });
  if (!a) throw new Error(`${name} is not in this database: seed it with npm run seed -- --scale large`);
  return userActor(Number(a.id), name, roles);
}

const ms = (x: { median: number; p95: number }) => `median ${x.median.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms`;
/** Steady state: the pool's connections and each one's cached plans are warm before the 30 timed runs. */
const steady = (fn: () => Promise<unknown>) => timeIt(fn, 30, 10);

async function run(handle: DbHandle, log: (line: string) => void): Promise<Measurement[]> {
  const db = handle.db;
  const [{ people, rollup }] = await rowsOf(
    db,
    sql`
    SELECT (SELECT count(*) FROM identities WHERE kind = 'human')::int AS people, (SELECT count(*) FROM identity_posture)::int AS rollup`,
    { people: col.num, rollup: col.num },
  );
  log(`${people.toLocaleString("en-US")} people, ${rollup.toLocaleString("en-US")} posture rows`);
  if (rollup !== people)
    throw new Error("identity_posture is incomplete: reseed with npm run seed -- --scale large --reset");
  const analyst = makeCtx(await actorNamed(db, "Avery Chen", ["analyst"]), db);
  const executive = makeCtx(await actorNamed(db, "Elena Rossi", ["executive"]), db);
  const departments = await loadDepartments(analyst);

  const heat = await steady(() => departmentHeatmap(executive, { privilegedOnly: false }));
  const heatPriv = await steady(() => departmentHeatmap(executive, { privilegedOnly: true }));
  const systems = await steady(() => systemHeatmap(executive, { mode: "effective" }));
  const kpis = await steady(() => loadLiveFigures(executive));
  const dashboard = await steady(() => loadDashboard(executive));
  const trend = await steady(() => postureTrend(executive, { privilegedOnly: false }));
  const whatIf = await timeIt(() => outageByDepartment(executive, "sms", departments), 10, 2);
  const cell = await steady(() => listCellPeople(analyst, cellPeopleInput.parse({ strength: "2" })));
  const { total } = await departmentHeatmap(executive, { privilegedOnly: false });
  log(
    `heatmap: ${departments.length} departments, ${total.people.toLocaleString("en-US")} active people, fallback gap ${total.gap.toLocaleString("en-US")}`,
  );

  // One person's rollup kept current by the triggers inside a write: enrol a factor, rolled back.
  const [one] = await rowsOf(
    db,
    sql`SELECT identity_id AS id FROM identity_posture WHERE has_privileged ORDER BY identity_id LIMIT 1`,
    { id: col.num },
  );
  const write = (withTrigger: boolean) =>
    timeIt(() =>
      db
        .transaction(async (tx) => {
          if (!withTrigger) await tx.execute(sql`SET LOCAL lockstep.defer_posture = 'on'`);
          await tx.execute(
            sql`INSERT INTO authenticators (identity_id, type, usage, channel) VALUES (${one.id}, 'sms_otp', 'recovery', 'sms')`,
          );
          tx.rollback();
        })
        .catch(() => undefined),
    );
  const withRollup = await write(true);
  const without = await write(false);

  const render = await timeDashboardRender(handle, log);
  const bundles = await firstLoadJs(log);
  const dashboardJs = bundles.find((b) => b.route === "/dashboard");
  return [
    {
      name: "department heatmap data (executive, everyone)",
      value: heat.p95,
      unit: "ms",
      target: { max: 20 },
      note: ms(heat),
    },
    {
      name: "department heatmap data (privileged only)",
      value: heatPriv.p95,
      unit: "ms",
      target: { max: 20 },
      note: ms(heatPriv),
    },
    { name: "privileged-system heatmap data", value: systems.p95, unit: "ms", target: { max: 20 }, note: ms(systems) },
    { name: "KPI data (live figures, executive)", value: kpis.p95, unit: "ms", target: { max: 20 }, note: ms(kpis) },
    { name: "dashboard data (figures + 90-day history)", value: dashboard.p95, unit: "ms", note: ms(dashboard) },
    { name: "posture trend (180 days)", value: trend.p95, unit: "ms", note: ms(trend) },
    { name: "SMS outage what-if by department", value: whatIf.p95, unit: "ms", note: ms(whatIf) },
    { name: "people behind a cell, first page (analyst)", value: cell.p95, unit: "ms", note: ms(cell) },
    {
      name: "factor write with the posture trigger",
      value: withRollup.median,
      unit: "ms",
      note: `${ms(withRollup)}; without the trigger ${ms(without)}`,
    },
    {
      name: "dashboard server render (signed-in executive)",
      value: render.p95,
      unit: "ms",
      target: { max: 300 },
      note: `${ms(render)}, GET /dashboard on next start`,
    },
    {
      name: "dashboard first-load JS (gzipped)",
      value: (dashboardJs?.gzip ?? NaN) / 1024,
      unit: "kB",
      target: { max: 250 },
      note: "every route is listed above; charts load after the page",
    },
  ];
}

export const factorsBench: BenchSuite = { name: "factors", run };
