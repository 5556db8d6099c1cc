import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { identities, identityPosture, leaverCases, remediationTasks } from "@/db/schema";
import { checkConsoleSession, startConsoleSession } from "@/lib/auth/console-sessions";
import { machineActor } from "@/lib/authz";
import { makeCtx } from "@/lib/context";
import { Forbidden } from "@/lib/errors";
import { loadConsoleUser } from "@/lib/people/console-users";
import { actorByName, ctxAs, identityIdByName } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { openCases, openCasesByProvisioning } from "./open-cases";

const at = new Date(TEST_NOW.getTime() + 30 * 60_000);

describe("openCases", () => {
  it("opens a case with one task per thing held, privileged grants first; the person loses console access at once", async () => {
    await rollback(async (db) => {
      const maya = await identityIdByName(db, "Maya Patel");
      expect(await loadConsoleUser(db, maya)).not.toBeNull();
      const ctx = await ctxAs(db, ["analyst"]);
      const result = await openCases(ctx, {
        leavers: [{ identityId: maya, reason: "involuntary", effectiveAt: at, lastDay: null }],
      });
      expect(result.opened).toHaveLength(1);
      const [c] = await db.select().from(leaverCases).where(eq(leaverCases.id, result.opened[0].caseId));
      expect(c.slaDueAt.toISOString()).toBe(new Date(at.getTime() + 60 * 60_000).toISOString());
      expect(c.status).toBe("open");
      const tasks = await db.select().from(remediationTasks).where(eq(remediationTasks.caseId, c.id));
      expect(tasks.length).toBe(c.tasksTotal);
      expect(tasks.length).toBeGreaterThan(3);
      // Everything the person holds has a task.
      const [held] = await rowsOf(
        db,
        sql`
        SELECT (SELECT count(*) FROM accounts WHERE identity_id = ${maya} AND status = 'active')::int AS accounts,
               (SELECT count(*) FROM credentials WHERE holder_id = ${maya} AND status = 'active')::int AS creds,
               (SELECT count(*) FROM grants g JOIN accounts a ON a.id = g.account_id JOIN entitlements e ON e.id = g.entitlement_id
                 WHERE a.identity_id = ${maya} AND g.revoked_at IS NULL AND e.privileged AND a.status <> 'deleted')::int AS grants`,
        { accounts: col.num, creds: col.num, grants: col.num },
      );
      expect(tasks.filter((t) => t.action === "disable_account")).toHaveLength(held.accounts);
      expect(tasks.filter((t) => t.action === "revoke_credential")).toHaveLength(held.creds);
      expect(tasks.filter((t) => t.action === "remove_grant")).toHaveLength(held.grants);
      for (const t of tasks.filter((t) => t.mode === "manual")) expect(t.assigneeId, t.targetLabel).not.toBeUndefined();
      const [person] = await db.select().from(identities).where(eq(identities.id, maya));
      expect(person.status).toBe("leaver");
      expect(await loadConsoleUser(db, maya)).toBeNull();
      const [posture] = await db.select().from(identityPosture).where(eq(identityPosture.identityId, maya));
      expect(posture.active).toBe(false);
    });
  });

  it("reports people with an open case, duplicates and non-humans, and never duplicates a case", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const [ravi, svc] = await Promise.all([
        identityIdByName(db, "Ravi Menon"),
        identityIdByName(db, "svc-customer-export"),
      ]);
      const [someone] = await rowsOf(
        db,
        sql`SELECT id FROM identities WHERE kind = 'human' AND status = 'active' AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = identities.id) ORDER BY id LIMIT 1`,
        { id: col.num },
      );
      const l = (identityId: number) => ({ identityId, reason: "layoff" as const, effectiveAt: at, lastDay: null });
      const result = await openCases(ctx, { leavers: [l(someone.id), l(ravi), l(svc), l(someone.id), l(99_999_999)] });
      expect(result.opened.map((o) => o.identityId)).toEqual([someone.id]);
      expect(result.skipped).toEqual(
        expect.arrayContaining([
          { identityId: ravi, reason: "open_case" },
          { identityId: svc, reason: "not_human" },
          { identityId: someone.id, reason: "duplicate" },
          { identityId: 99_999_999, reason: "not_found" },
        ]),
      );
      const again = await openCases(ctx, { leavers: [l(someone.id)] });
      expect(again.opened).toEqual([]);
      const n = await db
        .select({ id: leaverCases.id })
        .from(leaverCases)
        .where(and(eq(leaverCases.identityId, someone.id)));
      expect(n).toHaveLength(1);
    });
  });

  it("ends a voluntary leaver's SLA at midnight after the last day in the org's time zone (settings.org_time_zone)", async () => {
    await rollback(async (db) => {
      await db.execute(sql`INSERT INTO settings (key, value) VALUES ('org_time_zone', '"America/New_York"'::jsonb)
                           ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
      const [someone] = await rowsOf(
        db,
        sql`SELECT id FROM identities i WHERE kind = 'human' AND status = 'active' AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id) ORDER BY id DESC LIMIT 1`,
        { id: col.num },
      );
      const ctx = await ctxAs(db, ["analyst"]);
      const { opened } = await openCases(ctx, {
        leavers: [{ identityId: someone.id, reason: "voluntary", effectiveAt: at, lastDay: "2026-11-20" }],
      });
      const [c] = await db.select().from(leaverCases).where(eq(leaverCases.id, opened[0].caseId));
      expect(c.slaDueAt.toISOString()).toBe("2026-11-21T05:00:00.000Z");
      expect(c.lastDay).toBe("2026-11-20");
    });
  });

  it("without an effective time: a voluntary leaver leaves at the end of their last day (org zone), others now", async () => {
    await rollback(async (db) => {
      await db.execute(sql`INSERT INTO settings (key, value) VALUES ('org_time_zone', '"America/New_York"'::jsonb)
                           ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
      const people = await rowsOf(
        db,
        sql`SELECT id FROM identities i WHERE kind = 'human' AND status = 'active' AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
              AND NOT EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = i.id) ORDER BY id DESC LIMIT 2`,
        { id: col.num },
      );
      const ctx = await ctxAs(db, ["analyst"]);
      const { opened } = await openCases(ctx, {
        leavers: [
          { identityId: people[0].id, reason: "voluntary", lastDay: "2026-11-30" },
          { identityId: people[1].id, reason: "involuntary", lastDay: null },
        ],
      });
      const effective = async (identityId: number) => {
        const caseId = opened.find((o) => o.identityId === identityId)!.caseId;
        return (await db.select().from(leaverCases).where(eq(leaverCases.id, caseId)))[0].effectiveAt;
      };
      // Midnight after 30 November in New York (EST, UTC−5): not the moment the form was sent.
      expect((await effective(people[0].id)).toISOString()).toBe("2026-12-01T05:00:00.000Z");
      expect((await effective(people[1].id)).toISOString()).toBe(ctx.now.toISOString());
    });
  });

  it("rejects the wrong role (managers, executives, approvers cannot open cases)", async () => {
    await rollback(async (db) => {
      for (const roles of [["manager"], ["executive"], ["approver"]] as const) {
        const ctx = makeCtx((await ctxAs(db, [...roles])).actor, db, TEST_NOW);
        await expect(openCases(ctx, { leavers: [] })).rejects.toThrow(Forbidden);
      }
      const maya = await actorByName(db, "Maya Patel");
      await expect(openCases(makeCtx(maya, db, TEST_NOW), { leavers: [] })).rejects.toThrow(Forbidden);
    });
  });
});

describe("offboarding console administrators and oneself", () => {
  const admins = (db: Parameters<typeof rowsOf>[0]) =>
    rowsOf(
      db,
      sql`SELECT r.identity_id AS id FROM console_roles r JOIN identities i ON i.id = r.identity_id
           WHERE r.role = 'admin' AND i.status = 'active' AND i.kind = 'human' ORDER BY r.identity_id`,
      { id: col.int },
    );
  const leaver = (identityId: number) => ({
    identityId,
    reason: "involuntary" as const,
    effectiveAt: at,
    lastDay: null,
  });

  it("refuses an analyst offboarding an administrator, and anyone offboarding themselves", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const [admin] = await admins(db);
      const result = await openCases(analyst, { leavers: [leaver(admin.id), leaver(analyst.actor.id!)] });
      expect(result.opened).toEqual([]);
      expect(result.skipped).toEqual([
        { identityId: admin.id, reason: "admin_needs_admin" },
        { identityId: analyst.actor.id!, reason: "self" },
      ]);
      expect(await loadConsoleUser(db, admin.id)).not.toBeNull();
    });
  });

  it("never offboards the last active administrator, even when the IdP deactivates every one of them", async () => {
    await rollback(async (db) => {
      const all = await admins(db);
      // A second administrator, so that an administrator can act and one must still be kept.
      const other = await identityIdByName(db, "Maya Patel");
      await db.execute(
        sql`INSERT INTO console_roles (identity_id, role) VALUES (${other}, 'admin') ON CONFLICT DO NOTHING`,
      );
      const ids = [...all.map((a) => a.id), other];
      const scim = makeCtx(machineActor(1, "Okta", "provisioning"), db, TEST_NOW);
      const result = await openCasesByProvisioning(scim, { leavers: ids.map(leaver) });
      expect(result.opened).toHaveLength(ids.length - 1);
      expect(result.skipped).toEqual([{ identityId: ids[ids.length - 1], reason: "last_admin" }]);
      expect(await admins(db)).toEqual([{ id: ids[ids.length - 1] }]);
    });
  });

  it("ends a resigning person's console access at the case's effective time, an involuntary one's at once", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const [maya, avery] = await Promise.all([identityIdByName(db, "Maya Patel"), identityIdByName(db, "Avery Chen")]);
      const lastDay = new Date(TEST_NOW.getTime() + 5 * 86_400_000);
      const [mayaSession, averySession] = [
        await startConsoleSession(db, { identityId: maya, method: "demo", now: TEST_NOW }),
        await startConsoleSession(db, { identityId: avery, method: "demo", now: TEST_NOW }),
      ];
      await openCases(admin, {
        leavers: [
          { identityId: maya, reason: "voluntary", effectiveAt: lastDay, lastDay: null },
          { identityId: avery, reason: "layoff", effectiveAt: lastDay, lastDay: null },
        ],
      });
      expect(await loadConsoleUser(db, maya, TEST_NOW)).not.toBeNull();
      expect(await loadConsoleUser(db, maya, new Date(lastDay.getTime() - 1000))).not.toBeNull();
      expect(await loadConsoleUser(db, maya, lastDay)).toBeNull();
      expect(await loadConsoleUser(db, avery, TEST_NOW)).toBeNull();
      // The laid-off person's sessions ended with the case (on record); the resigning one's still works.
      const ended = await rowsOf(db, sql`SELECT ended_reason FROM console_sessions WHERE id = ${averySession}`, {
        ended_reason: col.textOrNull,
      });
      expect(ended[0].ended_reason).toBe("leaver");
      expect(await checkConsoleSession(db, mayaSession, maya, TEST_NOW)).toBe(true);
    });
  });
});
