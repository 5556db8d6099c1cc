import path from "node:path";
import type { DbHandle } from "./client";

const migrationsFolder = path.join(/*turbopackIgnore: true*/ process.cwd(), "db", "migrations");

// Two app processes starting at once on PostgreSQL must not race through the same migration.
const MIGRATION_LOCK = 7_305_001;

export async function migrateDatabase(handle: DbHandle): Promise<void> {
  if (handle.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as never, { migrationsFolder });
    return;
  }
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  // A session-level advisory lock lives on one connection, so hold it on a client of its own.
  const { Client } = await import("pg");
  const lock = new Client({ connectionString: process.env.DATABASE_URL });
  await lock.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrate(handle.db as never, { migrationsFolder });
  } finally {
    await lock.end();
  }
}
