import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";
import { markNoticesRead } from "./commands";
import { myNotices } from "./queries";

const addNotice = async (db: Db, identityId: number, title: string) => {
  const [n] = await rowsOf(
    db,
    sql`INSERT INTO notices (identity_id, kind, title, body, href)
        VALUES (${identityId}, 'test', ${title}, 'body', '/break-glass') RETURNING id::int AS id`,
    { id: col.num },
  );
  return Number(n.id);
};

describe("notices", () => {
  it("lists only the caller's own notices, newest first, with the unread count", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const approver = await ctxAs(db, ["approver"]);
      const before = await myNotices(analyst);
      const a = await addNotice(db, analyst.actor.id!, "first");
      const b = await addNotice(db, analyst.actor.id!, "second");
      await addNotice(db, approver.actor.id!, "someone else's");
      const mine = await myNotices(analyst);
      expect(mine.unread).toBe(before.unread + 2);
      expect(mine.items.slice(0, 2).map((n) => n.id)).toEqual([b, a]);
      expect(mine.items.some((n) => n.title === "someone else's")).toBe(false);
    });
  });

  it("marks read only the caller's notices, audited once per call", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const approver = await ctxAs(db, ["approver"]);
      const mineId = await addNotice(db, analyst.actor.id!, "mine");
      const theirs = await addNotice(db, approver.actor.id!, "theirs");
      expect(await markNoticesRead(analyst, { noticeIds: [mineId, theirs] })).toEqual({ read: 1 });
      const [t] = await rowsOf(db, sql`SELECT read_at FROM notices WHERE id = ${theirs}`, { read_at: col.dateOrNull });
      expect(t.read_at).toBeNull();
      // Nothing left to mark: no audit event.
      const count = async () =>
        Number(
          (
            await rowsOf(db, sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'notice.read'`, {
              n: col.num,
            })
          )[0].n,
        );
      const events = await count();
      expect(await markNoticesRead(analyst, { noticeIds: [mineId] })).toEqual({ read: 0 });
      expect(await count()).toBe(events);
      await addNotice(db, analyst.actor.id!, "another");
      expect((await markNoticesRead(analyst, {})).read).toBeGreaterThanOrEqual(1);
      expect((await myNotices(analyst)).unread).toBe(0);
    });
  });
});
