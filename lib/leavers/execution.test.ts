import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { accounts, credentials, leaverCases, remediationTasks } from "@/db/schema";
import { MAX_ATTEMPTS } from "@/lib/remediation/model";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { connectPeers, testRunner } from "@/lib/testing/leaver-fixtures";
import { type OAuthPeer, startOAuthPeer } from "@/lib/testing/peers/oauth-server";
import { type ScimPeer, startScimPeer } from "@/lib/testing/peers/scim-server";
import { rowsOf } from "@/lib/testing/sql";
import { executeCases } from "./commands";
import { checkDriftNow } from "./drift";
import { openCases } from "./open-cases";

process.env.LOCKSTEP_JOBS = "local";
process.env.LOCKSTEP_RETRY_BASE_MS = "1000";

let scim: ScimPeer;
let oauth: OAuthPeer;
beforeAll(async () => {
  [scim, oauth] = await Promise.all([startScimPeer(), startOAuthPeer({ apps: 2 })]);
});
afterAll(async () => {
  await Promise.all([scim?.stop(), oauth?.stop()]);
});
beforeEach(() => {
  scim.setMode("ok");
  oauth.setMode("ok");
  scim.users.clear();
  scim.groups.clear();
});

/** A seeded active person who is not a console user, offboarded with the peers connected. */
async function offboard(db: Db, opts: { timeoutMs?: number } = {}) {
  const [person] = await rowsOf(
    db,
    sql`
    SELECT i.id, i.email FROM identities i WHERE i.kind = 'human' AND i.status = 'active' AND i.email IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
       AND EXISTS (SELECT 1 FROM accounts a WHERE a.identity_id = i.id) ORDER BY i.id LIMIT 1`,
    { id: col.num, email: col.text },
  );
  const peers = await connectPeers(db, { identityId: person.id, scim, oauth, timeoutMs: opts.timeoutMs });
  const ctx = await ctxAs(db, ["analyst"]);
  const opened = await openCases(ctx, {
    leavers: [{ identityId: person.id, reason: "involuntary", effectiveAt: TEST_NOW, lastDay: null }],
  });
  const caseId = opened.opened[0].caseId;
  const clock = testRunner(db, TEST_NOW);
  const tasksOn = async (systemId: number) =>
    db
      .select()
      .from(remediationTasks)
      .where(and(eq(remediationTasks.caseId, caseId), eq(remediationTasks.systemId, systemId)))
      .orderBy(remediationTasks.priority, remediationTasks.id);
  return { person, peers, ctx, caseId, clock, tasksOn };
}

describe("executing a leaver case against real peers", () => {
  it("makes the SCIM user inactive, removes the admin group, and revokes the tokens (the peers say so)", async () => {
    await rollback(async (db) => {
      const { peers, ctx, caseId, clock, tasksOn } = await offboard(db);
      const app = await tasksOn(peers.appSystemId);
      expect(app.map((t) => [t.action, t.mode])).toEqual([
        ["remove_grant", "connector"],
        ["disable_account", "connector"],
      ]);
      const api = await tasksOn(peers.apiSystemId);
      expect(api.map((t) => [t.action, t.mode])).toEqual([
        ["revoke_credential", "connector"],
        ["revoke_credential", "connector"],
      ]);
      for (const { token } of peers.tokens) expect((await oauth.introspect(token)).active).toBe(true);

      const { queued } = await executeCases(ctx, { caseIds: [caseId] });
      expect(queued).toBeGreaterThanOrEqual(4);
      await clock.drain();

      // Ask the peers themselves.
      expect(scim.users.get(peers.scimUser.id)?.active).toBe(false);
      expect([...scim.groups.values()][0].members).toEqual([]);
      for (const { token } of peers.tokens) expect(await oauth.introspect(token)).toEqual({ active: false });

      for (const t of [...(await tasksOn(peers.appSystemId)), ...(await tasksOn(peers.apiSystemId))]) {
        expect(t.state, t.targetLabel).toBe("verified");
        expect(t.simulated).toBe(false);
      }
      const [disable] = (await tasksOn(peers.appSystemId)).filter((t) => t.action === "disable_account");
      expect(disable.verification).toMatch(/^scim GET \/Users\/.+: active=false$/);
      expect((await tasksOn(peers.apiSystemId))[0].verification).toBe("introspection (RFC 7662): active=false");
      // Lockstep's inventory follows.
      const [acct] = await db.select().from(accounts).where(eq(accounts.id, peers.accountId));
      expect(acct.status).toBe("disabled");
      const creds = await db.select().from(credentials).where(eq(credentials.issuerSystemId, peers.apiSystemId));
      expect(creds.map((c) => c.status)).toEqual(["revoked", "revoked"]);
      // Simulated systems acted too, and say so.
      const [sim] = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM remediation_tasks WHERE case_id = ${caseId} AND simulated AND state = 'verified' AND verification LIKE '%[simulated]'`,
        { n: col.num },
      );
      expect(sim.n).toBeGreaterThan(0);
      // Counters and audit agree.
      const [c] = await db.select().from(leaverCases).where(eq(leaverCases.id, caseId));
      const [counts] = await rowsOf(
        db,
        sql`SELECT count(*) FILTER (WHERE state = 'verified')::int AS verified FROM remediation_tasks WHERE case_id = ${caseId}`,
        { verified: col.num },
      );
      expect(c.tasksVerified).toBe(counts.verified);
      expect(c.status).toBe("in_progress");
      const [audit] = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'remediation.verify'
              AND metadata->>'origin' = 'leaver_case' AND metadata->>'originId' = ${String(caseId)}`,
        { n: col.num },
      );
      expect(audit.n).toBe(counts.verified);
    });
  });

  it("records a user the target does not know as gone, not as an error", async () => {
    await rollback(async (db) => {
      const { peers, ctx, caseId, clock, tasksOn } = await offboard(db);
      scim.users.delete(peers.scimUser.id);
      await executeCases(ctx, { caseIds: [caseId] });
      await clock.drain();
      const [disable] = (await tasksOn(peers.appSystemId)).filter((t) => t.action === "disable_account");
      expect(disable.state).toBe("verified");
      expect(disable.outcome).toBe("already_gone");
      expect(disable.verification).toMatch(/gone/);
      expect(disable.lastError).toBeNull();
    });
  });

  it("when the target is down: the task fails with the error, retries with backoff, and the case stays open until it comes back", async () => {
    await rollback(async (db) => {
      const { peers, ctx, caseId, clock, tasksOn } = await offboard(db);
      scim.setMode("down");
      oauth.setMode("down");
      await executeCases(ctx, { caseIds: [caseId] });
      await clock.drain();
      let [disable] = (await tasksOn(peers.appSystemId)).filter((t) => t.action === "disable_account");
      expect(disable.state).toBe("failed");
      expect(disable.lastError).toMatch(/attempt 1 of 5: .*503/);
      expect(disable.errorRetryable).toBe(true);
      expect(disable.notBefore?.toISOString()).toBe(new Date(TEST_NOW.getTime() + 1000).toISOString());
      const [revoke] = await tasksOn(peers.apiSystemId);
      expect(revoke.state).toBe("failed");
      expect(revoke.lastError).toMatch(/introspection: 503/);

      // Second attempt, still down: the delay triples.
      clock.advance(1000);
      await clock.drain();
      [disable] = (await tasksOn(peers.appSystemId)).filter((t) => t.action === "disable_account");
      expect(disable.attempts).toBe(2);
      expect(disable.notBefore?.toISOString()).toBe(new Date(TEST_NOW.getTime() + 1000 + 3000).toISOString());
      const [c] = await db.select().from(leaverCases).where(eq(leaverCases.id, caseId));
      expect(c.status).not.toBe("closed");
      expect(c.tasksFailed).toBeGreaterThanOrEqual(4);

      // The target comes back: the scheduled retry succeeds.
      scim.setMode("ok");
      oauth.setMode("ok");
      clock.advance(3000);
      await clock.drain();
      [disable] = (await tasksOn(peers.appSystemId)).filter((t) => t.action === "disable_account");
      expect(disable.state).toBe("verified");
      expect(scim.users.get(peers.scimUser.id)?.active).toBe(false);
      for (const { token } of peers.tokens) expect((await oauth.introspect(token)).active).toBe(false);
    });
  });

  it("gives up after the last attempt and waits for a person; 401 is not retried", async () => {
    await rollback(async (db) => {
      const { peers, ctx, caseId, clock, tasksOn } = await offboard(db);
      scim.setMode("unauthorized");
      await executeCases(ctx, { caseIds: [caseId] });
      await clock.drain();
      const [grant] = await tasksOn(peers.appSystemId);
      expect(grant.state).toBe("failed");
      expect(grant.errorRetryable).toBe(false);
      expect(grant.notBefore).toBeNull();
      expect(grant.lastError).toMatch(/401.*check the connector's credentials/);

      scim.setMode("down");
      await executeCases(ctx, { taskIds: [grant.id] });
      for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
        await clock.drain();
        clock.advance(30 * 60_000);
      }
      const [after] = await tasksOn(peers.appSystemId);
      expect(after.state).toBe("failed");
      // Attempts count for the task's whole life: one refused (401) plus four while down.
      expect(after.attempts).toBe(MAX_ATTEMPTS);
      expect(after.notBefore).toBeNull();
    });
  });

  it("times out a target that does not answer, as a retryable failure", async () => {
    await rollback(async (db) => {
      const { peers, ctx, caseId, clock, tasksOn } = await offboard(db, { timeoutMs: 300 });
      scim.setMode("slow", 1500);
      await executeCases(ctx, { caseIds: [caseId] });
      await clock.drain();
      const [grant] = await tasksOn(peers.appSystemId);
      expect(grant.state).toBe("failed");
      expect(grant.lastError).toMatch(/timed out after 300 ms/);
      expect(grant.errorRetryable).toBe(true);
      expect(grant.notBefore).not.toBeNull();
    });
  });

  it("drift watch: an account re-enabled upstream reopens the closed case and puts it on top of the queue", async () => {
    await rollback(async (db) => {
      const { peers, ctx, caseId, clock } = await offboard(db);
      await executeCases(ctx, { caseIds: [caseId] });
      await clock.drain();
      // Close it the quick way: waive what is left (manual tasks) as an admin, then close.
      const admin = await ctxAs(db, ["admin"]);
      const { waiveTask } = await import("@/lib/remediation/commands");
      const { closeCase } = await import("./commands");
      const open = await rowsOf(
        db,
        sql`SELECT id FROM remediation_tasks WHERE case_id = ${caseId} AND state NOT IN ('verified', 'waived')`,
        { id: col.num },
      );
      for (const t of open) await waiveTask(admin, { taskId: Number(t.id), reason: "Handled outside this test run" });
      await closeCase(ctx, { caseId });

      const held = await checkDriftNow(ctx, { caseId });
      expect(held.drifted).toBe(0);
      expect(held.checked).toBeGreaterThan(0);

      scim.users.get(peers.scimUser.id)!.active = true; // an upstream sync turned the user back on
      const drift = await checkDriftNow(ctx, { caseId });
      expect(drift.drifted).toBe(1);
      const [c] = await db.select().from(leaverCases).where(eq(leaverCases.id, caseId));
      expect(c.status).toBe("reopened");
      // Above every case that has not drifted, however late or privileged.
      const [ahead] = await rowsOf(
        db,
        sql`
        SELECT count(*)::int AS n FROM leaver_cases WHERE status IN ('open', 'in_progress') AND queue_rank <= ${c.queueRank}`,
        { n: col.num },
      );
      expect(ahead.n).toBe(0);
      const [task] = await rowsOf(
        db,
        sql`SELECT state::text, last_error FROM remediation_tasks WHERE case_id = ${caseId} AND system_id = ${peers.appSystemId} AND action = 'disable_account'`,
        { state: col.text, last_error: col.text },
      );
      expect(task.state).toBe("pending");
      expect(task.last_error).toMatch(/^Drift:/);
      const [acct] = await db.select().from(accounts).where(eq(accounts.id, peers.accountId));
      expect(acct.status).toBe("active");
    });
  });
});
