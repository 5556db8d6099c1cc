import { asc, count, desc, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { auditEvents } from "@/db/schema";
import { type Actor, SYSTEM_ACTOR } from "@/lib/authz";
import { makeCtx, transact } from "@/lib/context";
import { actorWith } from "@/lib/testing/actors";
import { rollback, testDb, testHandle } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { GENESIS_HASH, hashEvent } from "./chain";
import { verifyAuditChain } from "./verify";
import { writeAudit } from "./write";

let db: Db;
let analyst: Actor;

beforeAll(async () => {
  db = await testDb();
  analyst = await actorWith(db, ["analyst"]);
});

/** The message of an error and of every cause under it (drivers wrap the server's message). */
function messages(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    parts.push(String(e.message));
  return parts.join(" ← ");
}

async function rejection(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    return messages(err);
  }
  throw new Error("expected a rejection");
}

const lastEvents = (tx: Db, n: number) => tx.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(n);
const total = async (tx: Db) => Number((await tx.select({ n: count() }).from(auditEvents))[0].n);

describe("audit chain", () => {
  it("links each event to the previous one (prev_hash = previous hash, hash over the contents)", async () => {
    await rollback(async (tx) => {
      const ctx = makeCtx(analyst, tx, TEST_NOW, { ip: "192.0.2.7", userAgent: "audit.test" });
      const [before] = await lastEvents(tx, 1);
      const written = [];
      for (let i = 0; i < 3; i++) {
        written.push(
          await writeAudit(ctx, {
            action: "settings.update",
            target: { type: "identity", id: 40 + i, label: `Person ${i}` },
            before: { n: i, when: new Date(0) },
            after: { n: i + 1, nested: { b: 1, a: [1, "x"] } },
            metadata: { step: i },
          }),
        );
      }
      const rows = (await lastEvents(tx, 3)).reverse();
      expect(rows.map((r) => r.id)).toEqual(written.map((w) => w.id));
      expect(rows[0].prevHash).toBe(before?.hash ?? GENESIS_HASH);
      for (let i = 0; i < rows.length; i++) {
        if (i > 0) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
        expect(rows[i].hash).toBe(written[i].hash);
        expect(hashEvent(rows[i], rows[i].prevHash)).toBe(rows[i].hash);
        expect(rows[i]).toMatchObject({
          actorId: analyst.id,
          actorLabel: analyst.name,
          action: "settings.update",
          targetId: String(40 + i),
        });
      }
      expect(rows[0].metadata).toEqual({ ip: "192.0.2.7", userAgent: "audit.test", step: 0 });
      expect(rows[0].before).toEqual({ n: 0, when: "1970-01-01T00:00:00.000Z" });
      expect(await verifyAuditChain(tx)).toMatchObject({ ok: true, lastId: written[2].id });
    });
  });

  it("verifies on the seeded database, in several batches", async () => {
    const n = await total(db);
    expect(n).toBeGreaterThan(0);
    const result = await verifyAuditChain(db, { batchSize: Math.max(1, Math.ceil(n / 3)) });
    expect(result).toMatchObject({ ok: true });
    expect(result.checked).toBeGreaterThanOrEqual(n); // other files may append meanwhile (PostgreSQL)
  });

  it("throws when written outside a transaction, and writes nothing (fails closed)", async () => {
    const before = await total(db);
    const msg = await rejection(() =>
      writeAudit(makeCtx(analyst, db, TEST_NOW), { action: "settings.update", target: { type: "x", id: 1 } }),
    );
    expect(msg).toMatch(/settings\.update.*must run inside a transaction/);
    expect(await total(db)).toBe(before);
  });

  it("keeps no event of a rolled-back change, and the next event chains onto the last committed one", async () => {
    await rollback(async (tx) => {
      const [last] = await lastEvents(tx, 1);
      const failed = await rejection(() =>
        transact(makeCtx(analyst, tx, TEST_NOW), async (inner) => {
          await writeAudit(inner, { action: "settings.update", target: { type: "x", id: 1 } });
          throw new Error("the change failed");
        }),
      );
      expect(failed).toBe("the change failed");
      const next = await transact(makeCtx(analyst, tx, TEST_NOW), (inner) =>
        writeAudit(inner, { action: "sla.update", target: { type: "x", id: 2 } }),
      );
      const [row] = await lastEvents(tx, 1);
      expect(row.id).toBe(next.id);
      expect(row.prevHash).toBe(last.hash);
      expect(await verifyAuditChain(tx)).toMatchObject({ ok: true });
    });
  });
});

describe("append-only storage", () => {
  it.each([
    ["UPDATE", sql`UPDATE audit_events SET action = 'rewritten' WHERE id = (SELECT max(id) FROM audit_events)`],
    ["DELETE", sql`DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)`],
    ["TRUNCATE", sql`TRUNCATE audit_events`],
  ])("rejects %s", async (op, statement) => {
    const msg = await rollback(async (tx) => rejection(() => tx.execute(statement)));
    expect(msg).toContain(`audit_events is append-only: ${op} is not allowed`);
  });

  it("reports the first tampered event when the trigger is bypassed (superuser, rolled back)", async () => {
    await rollback(async (tx) => {
      const ids = (await tx.select({ id: auditEvents.id }).from(auditEvents).orderBy(asc(auditEvents.id))).map(
        (r) => r.id,
      );
      expect(ids.length).toBeGreaterThanOrEqual(3);
      const victim = ids[Math.floor(ids.length / 2)];
      const later = ids[ids.length - 1];
      await tx.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
      await tx.execute(sql`UPDATE audit_events SET target_label = 'quietly edited' WHERE id IN (${victim}, ${later})`);
      expect(await verifyAuditChain(tx, { batchSize: 7 })).toEqual({
        ok: false,
        checked: ids.indexOf(victim),
        brokenAt: { id: victim, kind: "contents", reason: "hash does not match the event's contents" },
      });
    });
    await rollback(async (tx) => {
      // Recomputing the edited event's own hash does not help: the next event's prev_hash gives it away.
      const rows = await tx.select().from(auditEvents).orderBy(asc(auditEvents.id));
      const i = Math.floor(rows.length / 2);
      const edited = { ...rows[i], targetLabel: "quietly edited" };
      await tx.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
      await tx.execute(
        sql`UPDATE audit_events SET target_label = ${edited.targetLabel}, hash = ${hashEvent(edited, edited.prevHash)} WHERE id = ${edited.id}`,
      );
      expect(await verifyAuditChain(tx)).toMatchObject({
        ok: false,
        brokenAt: { id: rows[i + 1].id, reason: "prev_hash does not match the previous event's hash" },
      });
    });
    // The bypass was rolled back with everything else: the trigger is on and the chain intact.
    const [trigger] = await rowsOf(
      db,
      sql`SELECT tgenabled AS enabled FROM pg_trigger WHERE tgname = 'audit_events_no_update_delete'`,
      { enabled: col.text },
    );
    expect(trigger.enabled).toBe("O");
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it("reports a forged row appended with a wrong hash, or chained onto the wrong event", async () => {
    const forged = {
      occurredAt: TEST_NOW,
      actorId: null,
      actorLabel: "intruder",
      action: "test.forged",
      targetType: "identity",
      targetId: "1",
      targetLabel: null,
      before: null,
      after: null,
      metadata: null,
    };
    await rollback(async (tx) => {
      const [last] = await lastEvents(tx, 1);
      const [row] = await tx
        .insert(auditEvents)
        .values({ ...forged, prevHash: last.hash, hash: "f".repeat(64) })
        .returning();
      expect(await verifyAuditChain(tx)).toMatchObject({
        ok: false,
        brokenAt: { id: row.id, reason: "hash does not match the event's contents" },
      });
    });
    await rollback(async (tx) => {
      // A self-consistent event that starts a second chain (a fork from genesis).
      const [row] = await tx
        .insert(auditEvents)
        .values({ ...forged, prevHash: GENESIS_HASH, hash: hashEvent(forged, GENESIS_HASH) })
        .returning();
      expect(await verifyAuditChain(tx)).toMatchObject({
        ok: false,
        brokenAt: { id: row.id, reason: "prev_hash does not match the previous event's hash" },
      });
    });
  });
});

describe("concurrent writers", () => {
  it("do not fork the chain: 20 parallel transactions each append one event", async () => {
    const handle = await testHandle();
    const before = await total(db);
    const writers = Array.from({ length: 20 }, (_, i) =>
      transact(makeCtx(i % 2 ? analyst : SYSTEM_ACTOR, db, TEST_NOW), async (tx) => {
        // Each transaction does some work first, so on PostgreSQL they really overlap before appending.
        await tx.db.execute(sql`SELECT pg_sleep(${handle.driver === "postgres" ? 0.02 : 0})`);
        return writeAudit(tx, { action: "settings.update", target: { type: "writer", id: i }, after: { i } });
      }),
    );
    const written = await Promise.all(writers);
    expect(new Set(written.map((w) => w.id)).size).toBe(20);
    expect(await total(db)).toBeGreaterThanOrEqual(before + 20);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    const forks = await rowsOf(
      db,
      sql`SELECT prev_hash AS prev, count(*)::int AS n FROM audit_events GROUP BY prev_hash HAVING count(*) > 1`,
      { prev: col.text, n: col.num },
    );
    expect(forks).toEqual([]);
  });
});
