import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { runScript } from "@/scripts/run-script";
import { SUITES } from "./suites";
import { type Measurement, passes } from "./types";

/**
 * `npm run bench [-- <suite> …]`: performance goals, measured at the large seed on PostgreSQL
 * (DATABASE_URL; seed it with `npm run seed -- --scale large`). Prints every figure against its goal and
 * exits 1 when one is missed. Suites live in bench/suites.ts, one module per pillar.
 */
runScript(async () => {
  if (!process.env.DATABASE_URL)
    throw new Error("npm run bench needs DATABASE_URL: a PostgreSQL database seeded with --scale large.");
  const only = process.argv.slice(2);
  const handle = await openDatabase();
  const results: (Measurement & { suite: string })[] = [];
  try {
    await migrateDatabase(handle);
    for (const suite of SUITES.filter((s) => only.length === 0 || only.includes(s.name))) {
      console.log(`\n== ${suite.name}`);
      for (const m of await suite.run(handle, (line) => console.log(`   ${line}`)))
        results.push({ ...m, suite: suite.name });
    }
  } finally {
    await handle.close();
  }
  console.log("\nsuite      measurement                                           value        goal        ");
  for (const r of results) {
    const goal = r.target
      ? `${[
          r.target.max !== undefined ? `≤ ${r.target.max}` : "",
          r.target.min !== undefined ? `≥ ${r.target.min}` : "",
        ].join("")} ${r.unit}`
      : "—";
    console.log(
      `${r.suite.padEnd(10)} ${r.name.padEnd(52)} ${`${r.value.toFixed(1)} ${r.unit}`.padStart(14)}  ${goal.padEnd(12)} ${passes(r) ? "ok" : "MISSED"}${r.note ? `  (${r.note})` : ""}`,
    );
  }
  if (results.some((r) => !passes(r))) process.exitCode = 1;
  // graphile-worker and the peers may hold handles; the figures are printed, so leave.
  process.exit(process.exitCode ?? 0);
});
