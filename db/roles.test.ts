import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type DbHandle, openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { col } from "@/db/rows";
import { auditEvents, settings } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/authz";
import { makeCtx, transact } from "@/lib/context";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import { migrateGraphile, startGraphileWorker } from "@/lib/jobs/graphile";
import { actorWith } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { TEST_NOW, testDatabaseUrl } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";

/**
 * db/roles.sql, applied to the test database, then the application connecting as the role it makes. PostgreSQL
 * only: PGlite is one embedded superuser with no roles to connect as, so there is nothing there to prove. Roles
 * belong to the whole server, so the test gives the role a name of its own database's and drops it afterwards.
 */
const ownerUrl = testDatabaseUrl();
const database = ownerUrl ? new URL(ownerUrl).pathname.slice(1) : "";
const role = `lockstep_app_${database}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
const password = randomBytes(12).toString("hex");

async function asOwner<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ownerUrl! });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The server's message for a statement the role may not run (drivers wrap it). */
async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    const parts: string[] = [];
    for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
      parts.push(String(e.message));
    return parts.join(" ← ");
  }
  throw new Error("expected the statement to be refused");
}

describe.skipIf(!ownerUrl)("db/roles.sql (PostgreSQL only: PGlite has no roles to connect as)", () => {
  let app: DbHandle;
  let appUrl: string;
  let analyst: Actor;

  beforeAll(async () => {
    analyst = await actorWith(await testDb(), ["analyst"]);
    // As a deployment does: the owner installs graphile-worker's schema, then runs the file.
    await migrateGraphile(ownerUrl!);
    const file = readFileSync(path.join(process.cwd(), "db", "roles.sql"), "utf8").replaceAll("lockstep_app", role);
    await asOwner(async (c) => {
      await c.query(file);
      await c.query(file); // idempotent: run again after every migration
      await c.query(`ALTER ROLE ${role} PASSWORD '${password}'`);
    });
    const url = new URL(ownerUrl!);
    url.username = role;
    url.password = password;
    appUrl = url.toString();
    vi.stubEnv("DATABASE_URL", appUrl);
    app = await openDatabase();
  });

  afterAll(async () => {
    await app?.close();
    vi.unstubAllEnvs();
    await asOwner(async (c) => {
      await c.query(`DROP OWNED BY ${role}`);
      await c.query(`DROP ROLE IF EXISTS ${role}`);
    });
  });

  it("makes a role that is no superuser and owns nothing", async () => {
    const { rows } = await asOwner((c) =>
      c.query(
        `SELECT r.rolsuper, r.rolcreaterole, r.rolbypassrls,
                (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned,
                has_table_privilege(r.oid, 'audit_events', 'INSERT') AS can_insert,
                has_table_privilege(r.oid, 'audit_events', 'UPDATE') AS can_update,
                has_table_privilege(r.oid, 'audit_events', 'DELETE') AS can_delete,
                has_table_privilege(r.oid, 'audit_events', 'TRUNCATE') AS can_truncate
           FROM pg_roles r WHERE r.rolname = $1`,
        [role],
      ),
    );
    expect(rows).toEqual([
      {
        rolsuper: false,
        rolcreaterole: false,
        rolbypassrls: false,
        owned: 0,
        can_insert: true,
        can_update: false,
        can_delete: false,
        can_truncate: false,
      },
    ]);
  });

  it.each([
    [
      "disable the trigger",
      sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`,
      /must be owner/,
    ],
    ["disable every trigger", sql`ALTER TABLE audit_events DISABLE TRIGGER ALL`, /must be owner/],
    ["drop the trigger", sql`DROP TRIGGER audit_events_no_update_delete ON audit_events`, /must be owner/],
    ["skip triggers for the session", sql`SET session_replication_role = replica`, /permission denied/],
    [
      "UPDATE an audit row",
      sql`UPDATE audit_events SET action = 'x' WHERE id = (SELECT max(id) FROM audit_events)`,
      /permission denied for table audit_events/,
    ],
    [
      "DELETE audit rows",
      sql`DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)`,
      /permission denied for table audit_events/,
    ],
    ["TRUNCATE the log", sql`TRUNCATE audit_events`, /permission denied for table audit_events/],
    ["drop the table", sql`DROP TABLE audit_events CASCADE`, /must be owner/],
  ])("refuses the app role to %s", async (_what, statement, message) => {
    expect(await refusal(() => app.db.transaction((tx) => tx.execute(statement)))).toMatch(message);
  });

  it("lets the app do its normal work: start-up migrations, a change with its audit event, a job", async () => {
    // Start-up: both migrators find nothing pending and pass.
    await migrateDatabase(app);
    await migrateGraphile(appUrl);
    const key = `roles_test_${randomBytes(4).toString("hex")}`;
    class Undo extends Error {}
    const seen: { stored?: string; value?: unknown; chain?: unknown; written?: string; lastId?: number } = {};
    // Everything in one transaction, rolled back at the end: the shared test database keeps nothing of it.
    const outcome = await transact(makeCtx(analyst, app.db, TEST_NOW), async (ctx) => {
      await ctx.db.insert(settings).values({ key, value: 1 });
      await ctx.db.update(settings).set({ value: 2 }).where(eq(settings.key, key));
      const event = await writeAudit(ctx, {
        action: "settings.update",
        target: { type: "setting", id: key },
        after: { value: 2 },
      });
      await enqueueJobs(ctx.db, [{ name: "audit.checkpoint", payload: {} }], "graphile");
      seen.written = event.hash;
      seen.stored = (await ctx.db.select().from(auditEvents).where(eq(auditEvents.id, event.id)))[0]?.hash;
      seen.value = (await ctx.db.select().from(settings).where(eq(settings.key, key)))[0]?.value;
      await ctx.db.delete(settings).where(eq(settings.key, key));
      seen.chain = await verifyAuditChain(ctx.db);
      seen.lastId = event.id;
      throw new Undo();
    }).catch((err: unknown) => (err instanceof Undo ? "rolled back" : Promise.reject(err)));
    expect(outcome).toBe("rolled back");
    expect(seen.stored).toBe(seen.written);
    expect(seen.value).toBe(2);
    // The app role reads the whole log: the audit page's verification works under it.
    expect(seen.chain).toMatchObject({ ok: true, lastId: seen.lastId });
  });

  it("lets the app role run graphile-worker: a job enqueued by the app is taken and finished", async () => {
    const task = `roles_test_${randomBytes(4).toString("hex")}`;
    await enqueueJobs(app.db, [{ name: task, payload: { n: 1 } }], "graphile");
    let ran!: () => void;
    const done = new Promise<void>((resolve) => {
      ran = resolve;
    });
    const runner = await startGraphileWorker({
      connectionString: appUrl,
      db: app.db,
      handlers: { [task]: async () => ran() },
      concurrency: 1,
      schedules: [],
      pollInterval: 100,
    });
    try {
      await Promise.race([
        done,
        new Promise((_, reject) => setTimeout(() => reject(new Error("job not run")), 15_000)),
      ]);
    } finally {
      await runner.stop();
    }
    const left = await rowsOf(
      app.db,
      sql`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = ${task}`,
      { n: col.int },
    );
    expect(left).toEqual([{ n: 0 }]);
  });
});
