import { chmodSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { output, ZodType } from "zod";
import { DatabaseSetupError, describeConnectError } from "./errors";
import { acquirePgliteLock } from "./pglite-lock";
import * as schema from "./schema";

type Schema = typeof schema;
/** A database handle or a transaction: every lib function takes this, so callers decide the transaction. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DbHandle = {
  db: Db;
  driver: "pglite" | "postgres";
  /** The node-postgres pool behind `db` on PostgreSQL (shared state several processes see: the rate limiter). */
  pool?: import("pg").Pool;
  /** Human description for logs and the UI footer (never includes credentials). */
  description: string;
  close: () => Promise<void>;
};

const drizzleOptions = { schema, casing: "snake_case" as const };

function defaultDataDir(): string {
  return path.resolve(
    /*turbopackIgnore: true*/ process.env.LOCKSTEP_DATA_DIR ?? path.join(process.cwd(), ".data", "pglite"),
  );
}

function parseDatabaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DatabaseSetupError(
      "DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database.",
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new DatabaseSetupError(`DATABASE_URL must start with postgres:// or postgresql:// (got ${url.protocol}//).`);
  }
  if (!url.pathname || url.pathname === "/") {
    throw new DatabaseSetupError("DATABASE_URL names no database; add one after the host, e.g. .../lockstep.");
  }
  return url;
}

async function openPostgres(raw: string): Promise<DbHandle> {
  const url = parseDatabaseUrl(raw);
  const where = `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new Pool({
    connectionString: raw,
    max: Number(process.env.DATABASE_POOL_MAX ?? 10),
    connectionTimeoutMillis: 5000,
    // JIT off for the app's sessions: its queries are short or set-based over a few hundred thousand rows, where
    // compiling a plan (jit_above_cost is crossed by the estimates of big tables) costs more than it saves —
    // measured at the large seed: seconds on a review launch, ~0.3 s on the endpoints page.
    options: "-c jit=off",
  });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on("error", (err) => console.error(`[db] idle PostgreSQL client error: ${err.message}`));
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw describeConnectError(err, where);
  }
  const db = drizzle(pool, drizzleOptions) as unknown as Db;
  return { db, driver: "postgres", pool, description: `PostgreSQL ${where}`, close: () => pool.end() };
}

/**
 * The embedded database's files hold everything Lockstep knows (hardening finding 10: they were created 0666). The
 * folder is made 0700, whatever it was, and this process's umask is narrowed so that every file PGlite creates in it
 * later is the owner's only. (A process that opens an embedded database is Lockstep's own: the server, a CLI, a test
 * worker.)
 */
function keepPrivate(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot change the umask; the folder's mode still keeps other users out.
  }
}

/**
 * PGlite lays out a new cluster (initdb) with explicit modes of 0666 that no umask narrows; once it is open, anything
 * in the folder open to group or others is narrowed to the owner (about a thousand files: milliseconds).
 */
function narrowModes(dataDir: string): void {
  for (const entry of readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, mode & 0o700);
  }
}

/** Opens a PGlite database: a folder path (locked against a second process) or "memory://". */
export async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { drizzle } = await import("drizzle-orm/pglite");
  const inMemory = dataDir.startsWith("memory://");
  let release = () => {};
  if (!inMemory) {
    mkdirSync(path.dirname(dataDir), { recursive: true });
    release = acquirePgliteLock(dataDir);
    keepPrivate(dataDir);
  }
  try {
    const client = await PGlite.create(dataDir, { extensions: { pg_trgm }, loadDataDir });
    if (!inMemory) narrowModes(dataDir);
    const db = drizzle(client, drizzleOptions) as unknown as Db;
    return {
      db,
      driver: "pglite",
      description: inMemory ? "PGlite (in memory)" : `PGlite ${dataDir}`,
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** The one place that chooses the driver: DATABASE_URL → PostgreSQL, otherwise embedded PGlite. */
export function openDatabase(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL?.trim();
  return url ? openPostgres(url) : openPglite(defaultDataDir());
}

const g = globalThis as unknown as { __lockstepDb?: Promise<DbHandle> };

/** Process-wide handle, opened on first use (never at import, so `next build` does not touch the database). */
export function getDatabase(): Promise<DbHandle> {
  if (!g.__lockstepDb) {
    g.__lockstepDb = openDatabase().catch((err) => {
      g.__lockstepDb = undefined;
      throw err;
    });
  }
  return g.__lockstepDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/**
 * Raw SQL returning rows, the same on both drivers (each returns `{ rows }`). Every row is parsed with the schema
 * (db/rows.ts): drivers disagree on int8, timestamps and jsonb, and a cast would hide it.
 */
export async function queryRows<S extends ZodType>(db: Db, query: SQL, schema: S): Promise<output<S>[]> {
  const result: unknown = await db.execute(query);
  if (!result || typeof result !== "object" || !("rows" in result) || !Array.isArray(result.rows)) {
    throw new Error("queryRows: the driver returned no rows array");
  }
  return result.rows.map((r: unknown) => schema.parse(r));
}

/** Runs a write and returns how many rows it touched (node-postgres reports `rowCount`, PGlite `affectedRows`). */
export async function affectedRows(db: Db, query: SQL): Promise<number> {
  const result: unknown = await db.execute(query);
  if (!result || typeof result !== "object") return 0;
  const n =
    "rowCount" in result && result.rowCount != null
      ? result.rowCount
      : "affectedRows" in result
        ? result.affectedRows
        : 0;
  return typeof n === "number" ? n : 0;
}
