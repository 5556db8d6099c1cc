import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase, openPglite } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seed } from "@/db/seed";
import { SNAPSHOT_FILE, TEST_NOW, testDatabaseUrl, workerDatabaseUrl } from "./env";
import { dropAllSchemas } from "./reset";

/**
 * Builds the seeded test database once per run: on PostgreSQL (DATABASE_URL) it resets and seeds that
 * database and clones it once per vitest worker (lib/testing/worker-database.ts); on PGlite it seeds an in-memory instance and dumps it, and each test file loads the dump
 * (migrating and seeding per file would cost seconds each — docs/TOOLCHAIN.md #10).
 */
export default async function globalSetup(project: TestProject) {
  const started = Date.now();
  const url = testDatabaseUrl();
  if (url) {
    const handle = await openDatabase();
    try {
      await dropAllSchemas(handle.db);
      await migrateDatabase(handle);
      await seed(handle.db, { scale: "demo", now: TEST_NOW });
    } finally {
      await handle.close();
    }
    await cloneForWorkers(url, project.config.maxWorkers);
    console.log(`[test] PostgreSQL test database seeded in ${Date.now() - started} ms`);
    return;
  }
  const handle = await openPglite("memory://");
  try {
    await migrateDatabase(handle);
    await seed(handle.db, { scale: "demo", now: TEST_NOW });
    const client = (handle.db as unknown as { $client: { dumpDataDir: (c: "gzip") => Promise<Blob> } }).$client;
    const dump = await client.dumpDataDir("gzip");
    mkdirSync(path.dirname(SNAPSHOT_FILE), { recursive: true });
    // Written aside and renamed into place: a reader never sees half a file, and a copy of node_modules made with
    // hard links (a second checkout of the repository) keeps its own snapshot instead of having it overwritten.
    const temp = `${SNAPSHOT_FILE}.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.from(await dump.arrayBuffer()));
    renameSync(temp, SNAPSHOT_FILE);
  } finally {
    await handle.close();
  }
  console.log(`[test] PGlite snapshot seeded in ${Date.now() - started} ms`);
}

/** One copy of the seeded database per worker, made with CREATE DATABASE … TEMPLATE (a file copy: about a second). */
async function cloneForWorkers(url: string, workers: number) {
  const source = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (let w = 1; w <= workers; w++) {
      const name = new URL(workerDatabaseUrl(url, String(w))).pathname.slice(1);
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${name}" TEMPLATE "${source}"`);
    }
  } finally {
    await client.end();
  }
}
