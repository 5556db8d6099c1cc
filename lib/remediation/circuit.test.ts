import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { leaverCases, remediationTasks } from "@/db/schema";
import { executeCases } from "@/lib/leavers/commands";
import { openCases } from "@/lib/leavers/open-cases";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { connectPeers, testRunner } from "@/lib/testing/leaver-fixtures";
import { type OAuthPeer, startOAuthPeer } from "@/lib/testing/peers/oauth-server";
import { type ScimPeer, startScimPeer } from "@/lib/testing/peers/scim-server";
import { rowsOf } from "@/lib/testing/sql";

process.env.LOCKSTEP_JOBS = "local";
process.env.LOCKSTEP_RETRY_BASE_MS = "1000";
process.env.LOCKSTEP_CIRCUIT_FAILURES = "2";
process.env.LOCKSTEP_CIRCUIT_COOL_OFF_MS = "10000";

let scim: ScimPeer;
let oauth: OAuthPeer;
beforeAll(async () => {
  [scim, oauth] = await Promise.all([startScimPeer(), startOAuthPeer({ apps: 2 })]);
});
afterAll(async () => {
  await Promise.all([scim?.stop(), oauth?.stop()]);
});

async function offboard(db: Db) {
  const [person] = await rowsOf(
    db,
    sql`
    SELECT i.id FROM identities i WHERE i.kind = 'human' AND i.status = 'active' AND i.email IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
       AND EXISTS (SELECT 1 FROM accounts a WHERE a.identity_id = i.id) ORDER BY i.id LIMIT 1`,
    { id: col.num },
  );
  const peers = await connectPeers(db, { identityId: person.id, scim, oauth });
  const ctx = await ctxAs(db, ["analyst"]);
  const opened = await openCases(ctx, {
    leavers: [{ identityId: person.id, reason: "involuntary", effectiveAt: TEST_NOW, lastDay: null }],
  });
  const caseId = opened.opened[0].caseId;
  const tasks = () =>
    db
      .select()
      .from(remediationTasks)
      .where(and(eq(remediationTasks.caseId, caseId), eq(remediationTasks.systemId, peers.appSystemId)))
      .orderBy(remediationTasks.id);
  return { peers, ctx, caseId, clock: testRunner(db, TEST_NOW), tasks };
}

const events = (db: Db, action: string) =>
  rowsOf(db, sql`SELECT target_id FROM audit_events WHERE action = ${action} ORDER BY id`, { target_id: col.text });

describe("a system that stops answering (circuit breaker)", () => {
  it("opens after failures in a row: tasks wait uncharged through the outage, and resume when a probe gets through", async () => {
    await rollback(async (db) => {
      const { peers, ctx, caseId, clock, tasks } = await offboard(db);
      scim.setMode("down");
      const before = scim.faults.requests.length;
      await executeCases(ctx, { caseIds: [caseId] });
      await clock.drain();
      // Two SCIM tasks, two failures in a row: the first is charged and failed, the second opens the circuit and waits.
      const first = await tasks();
      const failed = first.find((t) => t.state === "failed")!;
      const waiting = first.find((t) => t.state !== "failed")!;
      expect(failed.lastError).toMatch(/attempt 1 of 5: .*503/);
      expect(waiting.state).toBe("running");
      expect(waiting.attempts).toBe(0);
      expect(waiting.lastError).toMatch(/not answering \(2 failures in a row\): waiting for it/);
      const probeAt = TEST_NOW.getTime() + 10_000;
      expect(waiting.notBefore?.getTime()).toBe(probeAt);
      expect(await events(db, "connector.circuit_open")).toEqual([{ target_id: String(peers.appSystemId) }]);

      // The failed task's retry comes due: it does not hit the system, it joins the wait (not red any more).
      clock.advance(1000);
      await clock.drain();
      const retried = (await tasks()).find((t) => t.id === failed.id)!;
      expect(retried.state).toBe("running");
      expect(retried.attempts).toBe(1);
      expect(retried.notBefore?.getTime()).toBe(probeAt);

      // Ten minutes of outage: probes fail (the wait doubles), nobody is charged, nothing turns red.
      for (let i = 0; i < 8; i++) {
        clock.advance(80_000);
        await clock.drain();
      }
      const during = await tasks();
      expect(during.map((t) => t.state)).toEqual(["running", "running"]);
      expect(during.map((t) => t.attempts).sort()).toEqual([0, 1]);
      const [c] = await db.select().from(leaverCases).where(eq(leaverCases.id, caseId));
      expect(c.tasksFailed).toBe(0);
      // Two failures, then one probe per cool-off (10 s, 20 s, 40 s… at most every 5 min): a handful of calls.
      expect(scim.faults.requests.length - before).toBeLessThan(12);

      // It answers again: the next probe closes the circuit and both tasks go through, verified at the peer.
      scim.setMode("ok");
      clock.advance(5 * 60_000);
      await clock.drain();
      const after = await tasks();
      expect(after.map((t) => t.state)).toEqual(["verified", "verified"]);
      expect(scim.users.get(peers.scimUser.id)?.active).toBe(false);
      expect(await events(db, "connector.circuit_close")).toEqual([{ target_id: String(peers.appSystemId) }]);
    });
  });
});
