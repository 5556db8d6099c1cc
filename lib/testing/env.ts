import path from "node:path";

/** The fixed clock the test database is seeded at, so seeded data and assertions line up. */
export const TEST_NOW = new Date("2026-11-02T09:00:00.000Z");

export const SNAPSHOT_FILE = path.join(
  process.cwd(),
  "node_modules",
  ".cache",
  "lockstep-test",
  "pglite-seeded.tar.gz",
);

/** Tests wipe the database they run on, so they refuse any PostgreSQL database not named for tests. */
export function testDatabaseUrl(): string | null {
  const raw = process.env.DATABASE_URL?.trim();
  if (!raw) return null;
  const name = new URL(raw).pathname.slice(1);
  if (!/test/i.test(name)) {
    throw new Error(
      `Refusing to run tests against database "${name}": its name must contain "test" (the suite resets it).`,
    );
  }
  return raw;
}

/**
 * On PostgreSQL each vitest worker gets its own copy of the seeded test database (`<name>_w<n>`, cloned from it by
 * the global setup), so files run side by side as they do on PGlite: one shared database would make them wait on
 * each other's rolled-back transactions (each holds the global audit-chain lock until it ends).
 */
export function workerDatabaseUrl(base: string, workerId: string | undefined): string {
  if (!workerId) return base;
  const url = new URL(base);
  url.pathname = `/${url.pathname.slice(1)}_w${workerId}`;
  return url.toString();
}
