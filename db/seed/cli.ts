import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { DatabaseSetupError } from "@/db/errors";
import { migrateDatabase } from "@/db/migrate";
import { runScript } from "@/scripts/run-script";
import { isDatabaseEmpty, type Scale, type SeedSummary, seed } from "./index";

/**
 * npm run seed -- --scale demo|large [--now <ISO>] [--reset]
 * Opens the configured database (PGlite folder or DATABASE_URL), migrates it, and seeds it once.
 */
type Args = { scale: Scale; now?: Date; reset: boolean };

function parseArgs(argv: string[]): Args {
  const args: Args = { scale: "demo", reset: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (!v) throw new DatabaseSetupError(`${a} needs a value.`);
      return v;
    };
    if (a === "--reset") args.reset = true;
    else if (a.startsWith("--scale")) {
      const v = value();
      if (v !== "demo" && v !== "large") throw new DatabaseSetupError(`--scale must be demo or large (got "${v}").`);
      args.scale = v;
    } else if (a.startsWith("--now")) {
      const v = value();
      const d = new Date(v);
      if (Number.isNaN(d.getTime()))
        throw new DatabaseSetupError(`--now must be an ISO date-time, e.g. 2025-06-01T09:00:00Z (got "${v}").`);
      args.now = d;
    } else if (a === "--help" || a === "-h") {
      console.log("Usage: npm run seed -- --scale demo|large [--now <ISO>] [--reset]");
      process.exit(0);
    } else
      throw new DatabaseSetupError(
        `Unknown argument "${a}". Usage: npm run seed -- --scale demo|large [--now <ISO>] [--reset]`,
      );
  }
  return args;
}

function printSummary(s: SeedSummary): void {
  const width = Math.max(...Object.keys(s.counts).map((k) => k.length));
  console.log(`\nSeeded scale=${s.scale} now=${s.now} in ${s.seconds}s`);
  for (const [table, n] of Object.entries(s.counts))
    console.log(`  ${table.padEnd(width)}  ${n.toLocaleString("en-US").padStart(11)}`);
}

runScript(async () => {
  const args = parseArgs(process.argv.slice(2));
  const handle = await openDatabase();
  try {
    console.log(`Database: ${handle.description}`);
    if (args.reset) {
      // The audit table refuses DELETE and TRUNCATE by design, so a reset drops the schemas instead.
      await handle.db.execute(sql.raw("DROP SCHEMA IF EXISTS drizzle CASCADE"));
      await handle.db.execute(sql.raw("DROP SCHEMA IF EXISTS public CASCADE"));
      await handle.db.execute(sql.raw("CREATE SCHEMA public"));
      console.log("Reset: dropped and recreated the public and drizzle schemas.");
    }
    await migrateDatabase(handle);
    if (!(await isDatabaseEmpty(handle.db))) {
      throw new DatabaseSetupError(
        "The database already holds data; rerun with --reset to drop everything and seed again.",
      );
    }
    const summary = await seed(handle.db, { scale: args.scale, now: args.now, log: (line) => console.log(line) });
    printSummary(summary);
  } finally {
    await handle.close();
  }
});
