import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { accounts, grants, leaverCases, reconciliationRuns, remediationTasks } from "@/db/schema";
import type { Role } from "@/lib/authz";
import { Forbidden, Invalid } from "@/lib/errors";
import { subscribe } from "@/lib/events/routes";
import { openCases } from "@/lib/leavers/open-cases";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { SCIM_SECRET_ENV, testRunner } from "@/lib/testing/leaver-fixtures";
import { type ScimPeer, startScimPeer } from "@/lib/testing/peers/scim-server";
import { rowsOf } from "@/lib/testing/sql";
import { requestReconciliation } from "./commands";
import { listFindings, listRuns } from "./queries";
import { scheduleReconciliations } from "./schedule.internal";

process.env.LOCKSTEP_JOBS = "local";
// Two users per page: every run below reads several pages.
process.env.LOCKSTEP_RECONCILE_PAGE_SIZE = "2";

let peer: ScimPeer;
let unsubscribe: () => void;
beforeAll(async () => {
  unsubscribe = subscribe("recon-test", ["reconciliation.apply"]);
  peer = await startScimPeer({ fastLists: true });
  process.env[SCIM_SECRET_ENV] = peer.token;
});
afterAll(async () => {
  unsubscribe();
  await peer?.stop();
});
beforeEach(() => {
  peer.setMode("ok");
  peer.users.clear();
  peer.groups.clear();
});

/** Four seeded people who are not console users, with their email and employee number. */
async function people(db: Db) {
  return rowsOf(
    db,
    sql`
    SELECT i.id, i.email, i.employee_number FROM identities i
     WHERE i.kind = 'human' AND i.status = 'active' AND i.email IS NOT NULL AND i.employee_number IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
       AND NOT EXISTS (SELECT 1 FROM identities n WHERE n.owner_id = i.id)
       AND NOT EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = i.id)
     ORDER BY i.id LIMIT 4`,
    { id: col.int, email: col.text, employee_number: col.text },
  );
}

/**
 * A real SCIM system in front of the peer, and what Lockstep and the peer each hold:
 * - `joiner` has no account in Lockstep; the peer knows them by email → a new account, matched;
 * - `known` has a Lockstep account (by userName) holding "Old Group", which the peer does not have → grant ended;
 *   at the peer they are in "Engineers" → a discovered grant;
 * - `leaver` has a Lockstep account whose disable task was verified and whose case is closed, yet the peer has them
 *   active → a leaver's live account, fed to the drift watch (which reopens the case);
 * - `gone` has a Lockstep account the peer no longer has → ended;
 * - `stranger@elsewhere.test` matches nobody → uncorrelated.
 */
async function fixture(db: Db) {
  const [joiner, known, leaver, gone] = await people(db);
  const [system] = await rowsOf(
    db,
    sql`
    INSERT INTO systems (slug, name, category, criticality, connector_kind, connector_config, connector_simulated)
    VALUES ('recon-peer', 'Recon App (SCIM peer)', 'saas', 'high', 'scim',
            ${JSON.stringify({ baseUrl: peer.url, secretEnv: SCIM_SECRET_ENV, timeoutMs: 5000 })}::jsonb, false)
    RETURNING id`,
    { id: col.int },
  );
  const systemId = system.id;
  const account = async (identityId: number, username: string) => {
    const [a] = await db
      .insert(accounts)
      .values({ systemId, identityId, username, status: "active" })
      .returning({ id: accounts.id });
    return a.id;
  };
  const knownAccount = await account(known.id, `k.${known.employee_number}`);
  const leaverAccount = await account(leaver.id, leaver.email);
  const goneAccount = await account(gone.id, gone.email);
  const [oldGroup] = await rowsOf(
    db,
    sql`INSERT INTO entitlements (system_id, name) VALUES (${systemId}, 'Old Group') RETURNING id`,
    { id: col.int },
  );
  await db.insert(grants).values({ accountId: knownAccount, entitlementId: oldGroup.id, source: "request" });

  // The leaver's case: their disable task on this system ran and was verified; the case closed.
  const analyst = await ctxAs(db, ["analyst"]);
  const { opened } = await openCases(analyst, {
    leavers: [{ identityId: leaver.id, reason: "involuntary", effectiveAt: TEST_NOW, lastDay: null }],
  });
  const caseId = opened[0].caseId;
  await db
    .update(remediationTasks)
    .set({ state: "verified", verifiedAt: TEST_NOW })
    .where(and(eq(remediationTasks.caseId, caseId), eq(remediationTasks.targetId, leaverAccount)));
  await db.execute(
    sql`UPDATE remediation_tasks SET state = 'waived', waived_reason = 'test fixture' WHERE case_id = ${caseId} AND state = 'pending'`,
  );
  await db.update(accounts).set({ status: "disabled" }).where(eq(accounts.id, leaverAccount));
  await db
    .update(leaverCases)
    .set({ status: "closed", closedAt: TEST_NOW, driftWatchUntil: new Date(TEST_NOW.getTime() + 30 * 86_400_000) })
    .where(eq(leaverCases.id, caseId));

  const uJoiner = peer.addUser({ userName: joiner.email.toUpperCase(), emails: [{ value: joiner.email }] });
  const uKnown = peer.addUser({ userName: `k.${known.employee_number}` });
  const uLeaver = peer.addUser({ userName: leaver.email, externalId: "ext-leaver" });
  peer.addUser({ userName: "stranger@elsewhere.test", displayName: "Stranger" });
  peer.addUser({ userName: "nobody2@elsewhere.test", active: false });
  peer.addGroup("Engineers", [uJoiner.id, uKnown.id]);
  peer.addGroup("App Admins", [uLeaver.id]);
  return { systemId, joiner, known, leaver, gone, knownAccount, leaverAccount, goneAccount, caseId, uKnown };
}

async function reconcile(db: Db, systemId: number, roles: Role[] = ["analyst"]) {
  const ctx = await ctxAs(db, roles);
  const { runId } = await requestReconciliation(ctx, { systemId });
  await testRunner(db, TEST_NOW).drain();
  const [run] = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, runId));
  return run;
}

/** Everything a run may change, to compare before and after. */
async function inventory(db: Db, systemId: number) {
  return {
    accounts: await rowsOf(
      db,
      sql`SELECT id, identity_id, status::text, remote_id FROM accounts WHERE system_id = ${systemId} ORDER BY id`,
      { id: col.int, identity_id: col.int, status: col.text, remote_id: col.textOrNull },
    ),
    grants: await rowsOf(
      db,
      sql`SELECT g.id::int AS id, g.entitlement_id, g.source::text, (g.revoked_at IS NULL) AS live FROM grants g
            JOIN accounts a ON a.id = g.account_id WHERE a.system_id = ${systemId} ORDER BY g.id`,
      { id: col.int, entitlement_id: col.int, source: col.text, live: col.bool },
    ),
    entitlements: await rowsOf(db, sql`SELECT id, name FROM entitlements WHERE system_id = ${systemId} ORDER BY id`, {
      id: col.int,
      name: col.text,
    }),
  };
}

describe("reconciling a SCIM system (the real SCIM test peer)", () => {
  it("matches accounts, finds an uncorrelated account and a leaver's live account, ends what vanished, and re-runs to the same state", async () => {
    await rollback(async (db) => {
      const f = await fixture(db);
      const run = await reconcile(db, f.systemId);
      expect(run.status, run.error ?? "").toBe("done");
      expect(run.usersRead).toBe(5);
      expect(run.usersTotal).toBe(5);
      expect(run.counts).toMatchObject({
        users: 5,
        groups: 2,
        matched: 2, // known (userName), leaver (userName)
        created: 1, // joiner (email)
        uncorrelated: 2,
        leaverLive: 1,
        accountsEnded: 1, // gone
        grantsAdded: 3, // Engineers ×2, App Admins
        grantsEnded: 1, // Old Group
        entitlementsAdded: 2,
      });

      const accountsNow = await db.select().from(accounts).where(eq(accounts.systemId, f.systemId));
      const byIdentity = new Map(accountsNow.map((a) => [a.identityId, a]));
      expect(byIdentity.get(f.joiner.id)).toMatchObject({ status: "active", remoteId: expect.any(String) });
      expect(byIdentity.get(f.known.id)).toMatchObject({ status: "active", remoteId: f.uKnown.id });
      expect(byIdentity.get(f.leaver.id)).toMatchObject({ status: "active", externalId: "ext-leaver" });
      expect(byIdentity.get(f.gone.id)?.status).toBe("deleted");
      const held = await rowsOf(
        db,
        sql`SELECT e.name, g.source::text AS source, g.revoked_at IS NULL AS live FROM grants g
              JOIN entitlements e ON e.id = g.entitlement_id WHERE g.account_id = ${f.knownAccount} ORDER BY e.name`,
        { name: col.text, source: col.text, live: col.bool },
      );
      expect(held).toEqual([
        { name: "Engineers", source: "discovered", live: true },
        { name: "Old Group", source: "request", live: false },
      ]);

      const analyst = await ctxAs(db, ["analyst"]);
      const uncorrelated = await listFindings(analyst, { systemId: f.systemId, kind: "uncorrelated", limit: 1 });
      expect(uncorrelated.items.map((i) => i.userName)).toEqual(["nobody2@elsewhere.test"]);
      const next = await listFindings(analyst, {
        systemId: f.systemId,
        kind: "uncorrelated",
        limit: 1,
        after: uncorrelated.next!,
      });
      expect(next.items.map((i) => i.userName)).toEqual(["stranger@elsewhere.test"]);
      const live = await listFindings(analyst, { systemId: f.systemId, kind: "leaver_live", limit: 50 });
      expect(live.items).toMatchObject([{ identityId: f.leaver.id, caseId: f.caseId, accountId: f.leaverAccount }]);

      // The drift watch re-verified the leaver's revocation at the peer and reopened the case.
      const [c] = await db.select().from(leaverCases).where(eq(leaverCases.id, f.caseId));
      expect(c.status).toBe("reopened");
      const audit = await rowsOf(
        db,
        sql`SELECT action FROM audit_events WHERE target_type = 'system' AND target_id = ${String(f.systemId)} ORDER BY id`,
        { action: col.text },
      );
      expect(audit.map((a) => a.action)).toEqual(["reconciliation.request", "reconciliation.apply"]);
      const [outbox] = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM outbox_messages WHERE event = 'reconciliation.apply' AND consumer = 'recon-test'`,
        { n: col.int },
      );
      expect(outbox.n).toBe(1);

      // Idempotent: the same answer changes nothing.
      const before = await inventory(db, f.systemId);
      const again = await reconcile(db, f.systemId);
      expect(again.counts).toMatchObject({
        matched: 3,
        created: 0,
        uncorrelated: 2,
        leaverLive: 1,
        accountsEnded: 0,
        grantsAdded: 0,
        grantsEnded: 0,
        entitlementsAdded: 0,
      });
      expect(await inventory(db, f.systemId)).toEqual(before);

      // A user removed at the system: their account and grant end.
      peer.users.delete(f.uKnown.id);
      for (const g of peer.groups.values()) g.members = g.members.filter((m) => m.value !== f.uKnown.id);
      const third = await reconcile(db, f.systemId);
      expect(third.counts).toMatchObject({ matched: 2, accountsEnded: 1, grantsEnded: 1, grantsAdded: 0 });
      const [k] = await db.select().from(accounts).where(eq(accounts.id, f.knownAccount));
      expect(k.status).toBe("deleted");
    });
  }, 180_000); // three runs and a drift pass: ~3 s on PostgreSQL, far longer on PGlite on a loaded machine

  it("gives a leaver's account the case never knew about its revocation task, reopening a closed case", async () => {
    await rollback(async (db) => {
      const f = await fixture(db);
      // Two more leavers Lockstep knew no account of on this system: one whose case closed, one still open.
      const [closedOne, openOne] = await rowsOf(
        db,
        sql`
        SELECT i.id, i.email FROM identities i
         WHERE i.kind = 'human' AND i.status = 'active' AND i.email IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
           AND NOT EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = i.id)
           AND i.id NOT IN (${f.joiner.id}, ${f.known.id}, ${f.leaver.id}, ${f.gone.id})
         ORDER BY i.id DESC LIMIT 2`,
        { id: col.int, email: col.text },
      );
      const analyst = await ctxAs(db, ["analyst"]);
      const { opened } = await openCases(analyst, {
        leavers: [closedOne, openOne].map((p) => ({
          identityId: p.id,
          reason: "involuntary" as const,
          effectiveAt: TEST_NOW,
          lastDay: null,
        })),
      });
      const caseOf = (identityId: number) => opened.find((o) => o.identityId === identityId)!.caseId;
      const [closedCase, openCase] = [caseOf(closedOne.id), caseOf(openOne.id)];
      await db.execute(
        sql`UPDATE remediation_tasks SET state = 'waived', waived_reason = 'test fixture' WHERE case_id = ${closedCase}`,
      );
      await db.update(leaverCases).set({ status: "closed", closedAt: TEST_NOW }).where(eq(leaverCases.id, closedCase));
      peer.addUser({ userName: closedOne.email });
      peer.addUser({ userName: openOne.email.toUpperCase() });

      const run = await reconcile(db, f.systemId);
      expect(run.status, run.error ?? "").toBe("done");
      expect(run.counts).toMatchObject({ leaverLive: 3, leaverTasksAdded: 2, casesReopened: 1 });

      const added = await rowsOf(
        db,
        sql`SELECT t.case_id, t.action::text AS action, t.state::text AS state, a.identity_id
              FROM remediation_tasks t JOIN accounts a ON a.id = t.target_id AND t.target_type = 'account'
             WHERE a.system_id = ${f.systemId} AND t.case_id IN (${closedCase}, ${openCase}) ORDER BY t.case_id`,
        { case_id: col.int, action: col.text, state: col.text, identity_id: col.int },
      );
      expect(added).toEqual(
        expect.arrayContaining([
          { case_id: closedCase, action: "disable_account", state: "pending", identity_id: closedOne.id },
          { case_id: openCase, action: "disable_account", state: "pending", identity_id: openOne.id },
        ]),
      );
      expect(added).toHaveLength(2);
      const statuses = await db
        .select({ id: leaverCases.id, status: leaverCases.status })
        .from(leaverCases)
        .where(sql`${leaverCases.id} IN (${closedCase}, ${openCase})`)
        .orderBy(leaverCases.id);
      expect(new Map(statuses.map((c) => [c.id, c.status]))).toEqual(
        new Map([
          [closedCase, "reopened"],
          [openCase, "open"],
        ]),
      );
      const events = await rowsOf(
        db,
        sql`SELECT target_id, action, after->>'reason' AS reason FROM audit_events
             WHERE target_type = 'leaver_case' AND target_id IN (${String(closedCase)}, ${String(openCase)})
               AND action IN ('leaver.reopen', 'leaver.tasks_added') ORDER BY target_id`,
        { target_id: col.text, action: col.text, reason: col.text },
      );
      expect(events).toEqual(
        expect.arrayContaining([
          { target_id: String(closedCase), action: "leaver.reopen", reason: expect.stringMatching(/reconciliation/) },
          { target_id: String(openCase), action: "leaver.tasks_added", reason: expect.stringMatching(/Recon App/) },
        ]),
      );

      // A second run finds the same accounts: the tasks exist, nothing more is added or reopened.
      const again = await reconcile(db, f.systemId);
      expect(again.counts).toMatchObject({ leaverLive: 3, leaverTasksAdded: 0, casesReopened: 0 });
    });
  }, 180_000);

  it("writes nothing when the peer fails in the middle of the read (the run is failed, with the reason)", async () => {
    await rollback(async (db) => {
      const f = await fixture(db);
      const before = await inventory(db, f.systemId);
      peer.failAfter(2); // the first two pages of users, then 503s
      const run = await reconcile(db, f.systemId);
      expect(run.status).toBe("failed");
      expect(run.error).toMatch(/503|Unavailable/);
      expect(run.usersRead).toBe(4);
      expect(await inventory(db, f.systemId)).toEqual(before);
      const staged = await rowsOf(
        db,
        sql`SELECT (SELECT count(*) FROM reconciliation_staged_users) + (SELECT count(*) FROM reconciliation_findings) AS n`,
        { n: col.int },
      );
      expect(staged[0].n).toBe(0);
      const [c] = await db.select().from(leaverCases).where(eq(leaverCases.id, f.caseId));
      expect(c.status).toBe("closed");
      // A later run, the peer back, applies normally.
      peer.setMode("ok");
      expect((await reconcile(db, f.systemId)).status).toBe("done");
      expect((await listRuns(await ctxAs(db, ["analyst"]), f.systemId)).map((r) => r.status)).toEqual([
        "done",
        "failed",
      ]);
    });
  });

  it("is asked for by analysts and admins only, of a real SCIM system, one run at a time", async () => {
    await rollback(async (db) => {
      const f = await fixture(db);
      for (const role of ["manager", "approver", "executive"] as const) {
        await expect(requestReconciliation(await ctxAs(db, [role]), { systemId: f.systemId })).rejects.toThrow(
          Forbidden,
        );
        await expect(listRuns(await ctxAs(db, [role]), f.systemId)).rejects.toThrow(Forbidden);
      }
      const admin = await ctxAs(db, ["admin"]);
      const first = await requestReconciliation(admin, { systemId: f.systemId });
      expect(await requestReconciliation(admin, { systemId: f.systemId })).toEqual({
        runId: first.runId,
        alreadyRunning: true,
      });
      const [simulated] = await rowsOf(
        db,
        sql`SELECT id FROM systems WHERE connector_kind = 'scim' AND connector_simulated LIMIT 1`,
        { id: col.int },
      );
      if (simulated) {
        await expect(requestReconciliation(admin, { systemId: simulated.id })).rejects.toThrow(Invalid);
      }
    });
  });

  it("on its schedule, queues one run per real SCIM system (none for simulated ones) and runs it", async () => {
    await rollback(async (db) => {
      const f = await fixture(db);
      const queued = await scheduleReconciliations(db, TEST_NOW);
      const runs = await db.select().from(reconciliationRuns);
      expect(runs.map((r) => [r.systemId, r.trigger])).toContainEqual([f.systemId, "schedule"]);
      const simulated = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM reconciliation_runs r JOIN systems s ON s.id = r.system_id WHERE s.connector_simulated`,
        { n: col.int },
      );
      expect(simulated[0].n).toBe(0);
      // Asked again while they wait: nothing more.
      expect(await scheduleReconciliations(db, TEST_NOW)).toEqual([]);
      await testRunner(db, TEST_NOW).drain();
      const ours = (await db.select().from(reconciliationRuns)).find(
        (r) => queued.includes(r.id) && r.systemId === f.systemId,
      );
      expect(ours?.status).toBe("done");
    });
  });
});
