import { readFileSync } from "node:fs";
import { afterAll } from "vitest";
import { type Db, type DbHandle, openDatabase, openPglite } from "@/db/client";
import { SNAPSHOT_FILE, testDatabaseUrl } from "./env";

let handlePromise: Promise<DbHandle> | null = null;

// The process-wide handle of db/client.ts (getDatabase()), which the edge (runAction, runRoute) uses.
const processWide = globalThis as unknown as { __lockstepDb?: Promise<DbHandle> };

/**
 * The seeded test database for this file: a private PGlite clone of the snapshot, or a pool on the
 * PostgreSQL test database. Tests that write use `rollback()` so files never see each other's changes.
 * It also becomes this process's `getDb()`, so code under test that opens "the" database (the edge,
 * route handlers) reads the test data, never the developer's `.data/pglite` folder.
 */
export function testDb(): Promise<Db> {
  if (!handlePromise) {
    const opened = testDatabaseUrl()
      ? openDatabase()
      : openPglite("memory://", new Blob([readFileSync(SNAPSHOT_FILE)]));
    handlePromise = opened;
    processWide.__lockstepDb = opened;
    afterAll(async () => {
      const h = await opened;
      handlePromise = null;
      if (processWide.__lockstepDb === opened) processWide.__lockstepDb = undefined;
      await h.close();
    });
  }
  return handlePromise.then((h) => h.db);
}

export async function testHandle(): Promise<DbHandle> {
  await testDb();
  return handlePromise as Promise<DbHandle>;
}

class Rollback extends Error {}

/** Runs fn inside a transaction that is always rolled back; returns fn's result. */
export async function rollback<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
  const db = await testDb();
  let result: T | undefined;
  try {
    await db.transaction(async (tx) => {
      result = await fn(tx as unknown as Db);
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return result as T;
}
