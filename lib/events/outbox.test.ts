import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { writeAudit } from "@/lib/audit";
import { makeCtx, transact } from "@/lib/context";
import { LocalRunner } from "@/lib/jobs/local-runner";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { EVENTS, type EventName } from "./catalog";
import { type Delivery, dispatchHandler, type OutboxConsumer, type OutboxMessage, outboxBackoffMs } from "./dispatch";
import { DISPATCH_JOB } from "./outbox";
import { subscribe } from "./routes";
import { outboxStatus } from "./status";

process.env.LOCKSTEP_JOBS = "local";

let unsubscribe = () => {};
afterEach(() => unsubscribe());

/** A consumer that records what it was given and answers as told. */
function consumer(answer: (m: OutboxMessage, attempt: number) => Delivery) {
  const seen: OutboxMessage[] = [];
  return {
    seen,
    spec: {
      name: "test-receiver",
      maxAttempts: 3,
      deliver: async (messages: OutboxMessage[]) => {
        seen.push(...messages);
        return messages.map((m) => answer(m, m.attempts));
      },
    },
  };
}

function runner(db: Db, spec: OutboxConsumer, start = TEST_NOW) {
  let now = start;
  const r = new LocalRunner(db, { [DISPATCH_JOB]: dispatchHandler([spec]) }, { now: () => now, log: () => {} });
  return { drain: () => r.drain(), advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

async function messages(db: Db) {
  return rowsOf(
    db,
    sql`SELECT event, state::text AS state, attempts, last_error FROM outbox_messages WHERE consumer = 'test-receiver' ORDER BY id`,
    { event: col.text, state: col.text, attempts: col.num, last_error: col.textOrNull },
  );
}

async function change(db: Db, event: EventName, id: number) {
  const ctx = await ctxAs(db, ["admin"]);
  await transact(ctx, (tx) =>
    writeAudit(tx, { action: event as never, target: { type: "setting", id }, after: { id } }),
  );
}

describe("the outbox", () => {
  it("names every event once, area.verb, with words for people", () => {
    for (const [name, spec] of Object.entries(EVENTS)) {
      expect(name).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(spec.label.length).toBeGreaterThan(3);
    }
  });

  it("is written in the change's transaction: a committed change is delivered in order, a rolled-back one never", async () => {
    await rollback(async (db) => {
      unsubscribe = subscribe("test-receiver", ["settings.update"]);
      const c = consumer((m) => ({ id: m.id, ok: true }));
      await change(db, "settings.update", 1);
      await change(db, "sla.update", 2); // not subscribed: nothing written for it
      await expect(
        transact(await ctxAs(db, ["admin"]), async (tx) => {
          await writeAudit(tx, { action: "settings.update", target: { type: "setting", id: 3 } });
          throw new Error("the change fails after its audit event was written");
        }),
      ).rejects.toThrow(/change fails/);
      await change(db, "settings.update", 4);
      expect(await messages(db)).toMatchObject([
        { event: "settings.update", state: "pending" },
        { event: "settings.update", state: "pending" },
      ]);
      await runner(db, c.spec).drain();
      expect(c.seen.map((m) => m.targetId)).toEqual(["1", "4"]);
      expect(c.seen[0].payload).toMatchObject({ actor: { kind: "user" }, after: { id: 1 } });
      expect((await messages(db)).map((m) => m.state)).toEqual(["delivered", "delivered"]);
    });
  });

  it("retries a failed delivery with backoff, then dead-letters it after the consumer's last attempt, visibly", async () => {
    await rollback(async (db) => {
      unsubscribe = subscribe("test-receiver", ["settings.update"]);
      const c = consumer((m) => ({ id: m.id, ok: false, error: "receiver answered 503" }));
      await change(db, "settings.update", 1);
      const r = runner(db, c.spec);
      await r.drain();
      expect(await messages(db)).toMatchObject([
        { state: "pending", attempts: 1, last_error: "receiver answered 503" },
      ]);
      await r.drain(); // not due yet: nothing is tried
      expect(c.seen).toHaveLength(1);
      r.advance(outboxBackoffMs(1));
      await r.drain();
      r.advance(outboxBackoffMs(2));
      await r.drain();
      expect(await messages(db)).toMatchObject([{ state: "dead", attempts: 3 }]);
      expect(c.seen).toHaveLength(3);
      const status = await outboxStatus(makeCtx((await ctxAs(db, ["analyst"])).actor, db, TEST_NOW));
      expect(status).toEqual([
        expect.objectContaining({ consumer: "test-receiver", pending: 0, dead: 1, lastError: "receiver answered 503" }),
      ]);
    });
  });

  it("gives up at once on a permanent refusal, and a thrown consumer error counts as a failed attempt", async () => {
    await rollback(async (db) => {
      unsubscribe = subscribe("test-receiver", ["settings.update"]);
      await change(db, "settings.update", 1);
      await change(db, "settings.update", 2);
      const c = consumer((m) =>
        m.targetId === "1" ? { id: m.id, ok: false, error: "stream deleted", permanent: true } : { id: m.id, ok: true },
      );
      await runner(db, c.spec).drain();
      expect((await messages(db)).map((m) => m.state)).toEqual(["dead", "delivered"]);
      await change(db, "settings.update", 3);
      const broken = { name: "test-receiver", deliver: async () => Promise.reject(new Error("socket hang up")) };
      await runner(db, broken).drain();
      expect((await messages(db)).at(-1)).toMatchObject({
        state: "pending",
        attempts: 1,
        last_error: "socket hang up",
      });
    });
  });
});
