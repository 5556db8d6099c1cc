import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seed } from "@/db/seed";
import { runScript } from "@/scripts/run-script";

/**
 * e2e database: migrate and seed the demo organisation into the database the environment names
 * (LOCKSTEP_DATA_DIR or DATABASE_URL, both prepared fresh by global-setup.ts). Runs as its own process so
 * the PGlite lock is released before the server takes it.
 */
runScript(async () => {
  const handle = await openDatabase();
  try {
    await migrateDatabase(handle);
    const summary = await seed(handle.db, { scale: "demo" });
    console.log(`e2e database seeded in ${summary.seconds}s: ${handle.description}`);
  } finally {
    await handle.close();
  }
});
