import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { checkConsoleSession, startConsoleSession } from "@/lib/auth/console-sessions";
import { Conflict, Invalid } from "@/lib/errors";
import { loadConsoleUser } from "@/lib/people/console-users";
import { ctxAs, identityIdByName } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { grantConsoleRole, removeConsoleRole } from "./commands";
import { listConsoleRoleHolders } from "./queries";

async function activePersonWithoutRole(db: Db): Promise<number> {
  const [p] = await rowsOf(
    db,
    sql`SELECT id FROM identities i WHERE kind = 'human' AND status = 'active'
         AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id) ORDER BY id LIMIT 1`,
    { id: col.num },
  );
  return Number(p.id);
}

describe("console roles", () => {
  it("removing a role takes effect at once: the person's sessions end in the same transaction, audited", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const sam = await identityIdByName(db, "Sam Rivera"); // the seeded approver
      const sid = await startConsoleSession(db, { identityId: sam, method: "demo", now: TEST_NOW });
      const other = await startConsoleSession(db, { identityId: sam, method: "passkey", now: TEST_NOW });
      expect(await checkConsoleSession(db, sid, sam, TEST_NOW)).toBe(true);

      const done = await removeConsoleRole(admin, { identityId: sam, role: "approver" });
      expect(done.sessionsEnded).toBe(2);
      expect(await checkConsoleSession(db, sid, sam, TEST_NOW)).toBe(false);
      expect(await checkConsoleSession(db, other, sam, TEST_NOW)).toBe(false);
      const ended = await rowsOf(
        db,
        sql`SELECT ended_reason AS why FROM console_sessions WHERE identity_id = ${sam} AND id IN (${sid}, ${other})`,
        { why: col.text },
      );
      expect(ended.map((r) => r.why)).toEqual(["role_removed", "role_removed"]);
      expect((await loadConsoleUser(db, sam, TEST_NOW))?.roles ?? []).not.toContain("approver");
      const [event] = await rowsOf(
        db,
        sql`SELECT actor_id, before->>'role' AS role, (after->>'sessionsEnded')::int AS n FROM audit_events
             WHERE action = 'console_role.remove' AND target_id = ${String(sam)}`,
        { actor_id: col.num, role: col.text, n: col.num },
      );
      expect(event).toEqual({ actor_id: admin.actor.id, role: "approver", n: 2 });
      await expect(removeConsoleRole(admin, { identityId: sam, role: "approver" })).rejects.toThrow(Conflict);
    });
  });

  it("never removes the last active administrator's admin role (409), whoever asks", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const me = admin.actor.id!;
      // Leave one active administrator: the acting one.
      await db.execute(sql`DELETE FROM console_roles WHERE role = 'admin' AND identity_id <> ${me}`);
      const refused = removeConsoleRole(admin, { identityId: me, role: "admin" });
      await expect(refused).rejects.toThrow(Conflict);
      await expect(refused).rejects.toThrow(/last active administrator/);

      // With a second administrator, either may go.
      const next = await activePersonWithoutRole(db);
      await grantConsoleRole(admin, { identityId: next, role: "admin" });
      await removeConsoleRole(admin, { identityId: me, role: "admin" });
      const holders = await listConsoleRoleHolders(admin);
      expect(holders.filter((h) => h.roles.some((r) => r.role === "admin")).map((h) => h.id)).toEqual([next]);
      await expect(removeConsoleRole(admin, { identityId: next, role: "admin" })).rejects.toThrow(Conflict);
    });
  });

  it("an admin who is a leaver does not count as the active one left", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const me = admin.actor.id!;
      await db.execute(sql`DELETE FROM console_roles WHERE role = 'admin' AND identity_id <> ${me}`);
      const gone = await activePersonWithoutRole(db);
      await grantConsoleRole(admin, { identityId: gone, role: "admin" });
      await db.execute(sql`UPDATE identities SET status = 'leaver' WHERE id = ${gone}`);
      await expect(removeConsoleRole(admin, { identityId: me, role: "admin" })).rejects.toThrow(Conflict);
      // Removing the leaver's admin role is fine: they were not the active one.
      await removeConsoleRole(admin, { identityId: gone, role: "admin" });
    });
  });

  it("gives roles to active people only, once, audited with who granted it", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const person = await activePersonWithoutRole(db);
      await grantConsoleRole(admin, { identityId: person, role: "analyst" });
      expect((await loadConsoleUser(db, person, TEST_NOW))?.roles).toEqual(["analyst"]);
      await expect(grantConsoleRole(admin, { identityId: person, role: "analyst" })).rejects.toThrow(Conflict);
      const [row] = await rowsOf(
        db,
        sql`SELECT granted_by_id AS by, (SELECT count(*)::int FROM audit_events WHERE action = 'console_role.grant'
              AND target_id = ${String(person)}) AS audited FROM console_roles WHERE identity_id = ${person}`,
        { by: col.num, audited: col.num },
      );
      expect(row).toEqual({ by: admin.actor.id, audited: 1 });

      await db.execute(sql`UPDATE identities SET status = 'leaver' WHERE id = ${person}`);
      await expect(grantConsoleRole(admin, { identityId: person, role: "admin" })).rejects.toThrow(Invalid);
      const [svc] = await rowsOf(db, sql`SELECT id FROM identities WHERE kind <> 'human' ORDER BY id LIMIT 1`, {
        id: col.num,
      });
      await expect(grantConsoleRole(admin, { identityId: Number(svc.id), role: "analyst" })).rejects.toThrow(
        /not a person/,
      );
    });
  });
});
