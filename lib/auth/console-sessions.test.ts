import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { makeCtx } from "@/lib/context";
import { ctxAs, identityIdByName } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import {
  checkConsoleSession,
  endConsoleSession,
  mySessions,
  signOutEverywhere,
  startConsoleSession,
} from "./console-sessions";

const MIN = 60_000;
const at = (minutes: number) => new Date(TEST_NOW.getTime() + minutes * MIN);

describe("console sessions held on the server", () => {
  it("lets a live session act, and ends it for good at sign-out (a copied cookie stops working)", async () => {
    await rollback(async (db) => {
      const me = await identityIdByName(db, "Avery Chen");
      const sid = await startConsoleSession(db, { identityId: me, method: "passkey", now: TEST_NOW });
      expect(await checkConsoleSession(db, sid, me, at(1))).toBe(true);
      // The cookie names a session of someone else: refused.
      expect(await checkConsoleSession(db, sid, me + 1, at(1))).toBe(false);
      await endConsoleSession(db, sid, at(2));
      expect(await checkConsoleSession(db, sid, me, at(3))).toBe(false);
      expect(await checkConsoleSession(db, "made-up", me, at(3))).toBe(false);
    });
  });

  it("ends a session after the idle timeout and at its absolute end, however active (settings change both)", async () => {
    await rollback(async (db) => {
      const me = await identityIdByName(db, "Avery Chen");
      const idle = await startConsoleSession(db, { identityId: me, method: "demo", now: TEST_NOW });
      expect(await checkConsoleSession(db, idle, me, at(59))).toBe(true);
      expect(await checkConsoleSession(db, idle, me, at(59 + 61))).toBe(false);
      const busy = await startConsoleSession(db, { identityId: me, method: "demo", now: TEST_NOW });
      // Used every 30 minutes: never idle, still over after 12 hours.
      for (let m = 30; m < 12 * 60; m += 30) expect(await checkConsoleSession(db, busy, me, at(m))).toBe(true);
      expect(await checkConsoleSession(db, busy, me, at(12 * 60))).toBe(false);
      const ended = await rowsOf(
        db,
        sql`SELECT id, ended_reason FROM console_sessions WHERE id IN (${idle}, ${busy}) ORDER BY started_at, id`,
        { id: col.text, ended_reason: col.textOrNull },
      );
      expect(Object.fromEntries(ended.map((r) => [r.id, r.ended_reason]))).toEqual({
        [idle]: "idle",
        [busy]: "expired",
      });

      await db.execute(
        sql`INSERT INTO settings (key, value) VALUES ('session_idle_minutes', '5'::jsonb), ('session_absolute_hours', '1'::jsonb)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      );
      const short = await startConsoleSession(db, { identityId: me, method: "demo", now: TEST_NOW });
      expect(await checkConsoleSession(db, short, me, at(4))).toBe(true);
      expect(await checkConsoleSession(db, short, me, at(10))).toBe(false);
      const hour = await startConsoleSession(db, { identityId: me, method: "demo", now: TEST_NOW });
      for (let m = 4; m < 60; m += 4) expect(await checkConsoleSession(db, hour, me, at(m))).toBe(true);
      expect(await checkConsoleSession(db, hour, me, at(61))).toBe(false);
    });
  });

  it("signs a person out everywhere, audited, and leaves other people's sessions alone", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const me = analyst.actor.id!;
      const other = await identityIdByName(db, "Maya Patel");
      const mine = [
        await startConsoleSession(db, { identityId: me, method: "passkey", now: TEST_NOW }),
        await startConsoleSession(db, { identityId: me, method: "oidc", now: TEST_NOW }),
      ];
      const theirs = await startConsoleSession(db, { identityId: other, method: "demo", now: TEST_NOW });
      const ctx = makeCtx(analyst.actor, db, at(1));
      expect((await mySessions(ctx)).map((s) => s.id).sort()).toEqual([...mine].sort());
      expect(await signOutEverywhere(ctx)).toEqual({ ended: 2 });
      for (const sid of mine) expect(await checkConsoleSession(db, sid, me, at(2))).toBe(false);
      expect(await checkConsoleSession(db, theirs, other, at(2))).toBe(true);
      expect(await mySessions(makeCtx(analyst.actor, db, at(2)))).toEqual([]);
      const [event] = await rowsOf(
        db,
        sql`SELECT action, target_id, metadata->>'ended' AS ended FROM audit_events ORDER BY id DESC LIMIT 1`,
        { action: col.text, target_id: col.text, ended: col.text },
      );
      expect(event).toEqual({ action: "auth.sessions_end", target_id: String(me), ended: "2" });
    });
  });
});
