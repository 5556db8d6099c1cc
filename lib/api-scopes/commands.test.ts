import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { makeCtx } from "@/lib/context";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { asExecutive, asManager, ctxAs, ctxByName, identityIdByName } from "@/lib/testing/actors";
import { connectLookupApi, tokenOf } from "@/lib/testing/api-scope-fixtures";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { testRunner } from "@/lib/testing/leaver-fixtures";
import { type OAuthPeer, startOAuthPeer } from "@/lib/testing/peers/oauth-server";
import { rowsOf } from "@/lib/testing/sql";
import { assignOwner, reduceScopes, revokeCredential, setExpiry } from "./commands";
import { getCredential } from "./credential";
import { editEndpoint } from "./endpoints";

process.env.LOCKSTEP_JOBS = "local";

let oauth: OAuthPeer;
beforeAll(async () => {
  oauth = await startOAuthPeer({ apps: 1 });
});
afterAll(async () => oauth?.stop());
beforeEach(() => oauth.setMode("ok"));

const LOOKUP_SYNC = "lookup-sync (client credentials)";
const EXPORT_KEY = "customer-export nightly key";

async function credentialId(db: Db, name: string): Promise<number> {
  const [r] = await rowsOf(db, sql`SELECT id FROM credentials WHERE name = ${name} ORDER BY id LIMIT 1`, {
    id: col.num,
  });
  return Number(r.id);
}
async function auditOf(db: Db, id: number) {
  return rowsOf(
    db,
    sql`
    SELECT action, before, after, metadata FROM audit_events WHERE target_type = 'credential' AND target_id = ${String(id)} ORDER BY id`,
    {
      action: col.text,
      before: z.unknown(),
      after: col.json(z.record(z.string(), z.unknown()).nullable()),
      metadata: col.json(z.record(z.string(), z.unknown()).nullable()),
    },
  );
}
async function taskOf(db: Db, id: number) {
  return rowsOf(
    db,
    sql`SELECT id, origin::text AS origin, origin_id::int AS origin_id, action::text AS action, state::text AS state,
               verification, simulated, last_error, not_before, attempts, evidence, params
          FROM remediation_tasks WHERE id = ${id}`,
    {
      id: col.int,
      origin: col.text,
      origin_id: col.int,
      action: col.text,
      state: col.text,
      verification: col.textOrNull,
      simulated: col.bool,
      last_error: col.textOrNull,
      not_before: col.textOrNull,
      attempts: col.int,
      evidence: col.json(z.record(z.string(), z.record(z.string(), z.unknown())).nullable()),
      params: col.json(z.unknown()),
    },
  );
}
/** The engine's events about one task, in order. */
async function taskAudit(db: Db, taskId: number) {
  const rows = await rowsOf(
    db,
    sql`SELECT action FROM audit_events WHERE target_type = 'remediation_task' AND target_id = ${String(taskId)} ORDER BY id`,
    { action: col.text },
  );
  return rows.map((r) => r.action);
}
async function statusOf(db: Db, id: number) {
  const [r] = await rowsOf(
    db,
    sql`
    SELECT c.status::text AS status, cr.live, c.scopes, c.owner_id, c.expires_at, cr.blast_radius AS blast FROM credentials c JOIN credential_risk cr ON cr.credential_id = c.id WHERE c.id = ${id}`,
    {
      status: col.text,
      live: col.bool,
      scopes: col.textArray,
      owner_id: col.numOrNull,
      expires_at: col.textOrNull,
      blast: col.num,
    },
  );
  return r;
}

describe("the story: an analyst finds a leaver's orphaned bulk-read tokens", () => {
  it("shows the lookup-sync client orphaned (owner Ravi left), reaching GET /users/lookup in bulk, with the owner chain", async () => {
    await rollback(async (db) => {
      const detail = await getCredential(await ctxAs(db, ["analyst"]), await credentialId(db, LOOKUP_SYNC));
      expect(detail.findings.map((f) => f.id)).toEqual(expect.arrayContaining(["orphaned", "bulk_pii", "no_expiry"]));
      expect(detail.findings.find((f) => f.id === "orphaned")?.explanation).toBe(
        "Its owner is a leaver: nobody answers for it.",
      );
      expect(detail.chain.owner?.name).toBe("Ravi Menon");
      expect(detail.chain.manager?.name).toBe("Maya Patel");
      const lookup = detail.scopes
        .find((s) => s.scope === "users:read")!
        .endpoints.find((e) => e.path === "/users/lookup")!;
      expect(lookup).toMatchObject({ method: "GET", bulk: true, maxRecordsPerCall: 100, weight: 16 });
      expect(detail.credential.blastRadius).toBe(
        detail.scopes.flatMap((s) => s.endpoints).reduce((a, e) => a + e.weight, 0),
      );
    });
  });

  it("revokes it through the local OAuth server (RFC 7009) as a remediation job, proven by introspection (RFC 7662)", async () => {
    await rollback(async (db) => {
      const { credentialId: id, token } = tokenOf(await connectLookupApi(db, oauth), LOOKUP_SYNC);
      expect((await oauth.introspect(token)).active).toBe(true);
      const ctx = await ctxAs(db, ["analyst"]);
      const result = await revokeCredential(ctx, { credentialId: id, reason: "Orphaned bulk-read token of a leaver" });
      expect(result).toMatchObject({ mode: "connector", state: "queued" });
      // Nothing happens at the issuer until the job runs: the request is on the queue, not in the request path.
      expect((await oauth.introspect(token)).active).toBe(true);
      expect((await statusOf(db, id)).status).toBe("active");
      await testRunner(db, TEST_NOW).drain();
      expect(await oauth.introspect(token)).toEqual({ active: false });
      expect(await statusOf(db, id)).toMatchObject({ status: "revoked", live: false });
      const [task] = await taskOf(db, result.taskId);
      expect(task).toMatchObject({
        origin: "credential_page",
        origin_id: id,
        state: "verified",
        verification: "introspection (RFC 7662): active=false",
        simulated: false,
      });
      const [event] = await auditOf(db, id);
      expect(event).toMatchObject({ action: "api_scope.revoke", after: { tasks: 1, taskIds: [result.taskId] } });
      expect(event.metadata).toMatchObject({
        origin: "credential_page",
        reason: "Orphaned bulk-read token of a leaver",
      });
      const trail = await taskAudit(db, result.taskId);
      expect(trail).toEqual(["remediation.execute", "remediation.verify"]);
      await expect(revokeCredential(ctx, { credentialId: id, reason: "again" })).rejects.toThrow(Conflict);
    });
  });

  it("retries with backoff while the issuer is down, and revokes once it is back; the credential stays live meanwhile", async () => {
    await rollback(async (db) => {
      const { credentialId: id, token } = tokenOf(await connectLookupApi(db, oauth), LOOKUP_SYNC);
      const clock = testRunner(db, TEST_NOW);
      oauth.setMode("down");
      const { taskId } = await revokeCredential(await ctxAs(db, ["analyst"]), { credentialId: id, reason: "Orphaned" });
      await clock.drain();
      const [failed] = await taskOf(db, taskId);
      expect(failed.state).toBe("failed");
      expect(failed.last_error).toMatch(/Execute attempt 1 of 5: .*503/);
      expect(failed.not_before).not.toBeNull();
      expect((await statusOf(db, id)).status).toBe("active");
      oauth.setMode("ok");
      clock.advance(60_000);
      await clock.drain();
      const [done] = await taskOf(db, taskId);
      expect(done).toMatchObject({ state: "verified", attempts: 2 });
      expect(await oauth.introspect(token)).toEqual({ active: false });
      expect(await taskAudit(db, taskId)).toEqual([
        "remediation.fail",
        "remediation.retry",
        "remediation.execute",
        "remediation.verify",
      ]);
    });
  });

  it("revokes on a simulated issuer and says it was simulated", async () => {
    await rollback(async (db) => {
      const id = await credentialId(db, EXPORT_KEY);
      const result = await revokeCredential(await ctxAs(db, ["analyst"]), {
        credentialId: id,
        reason: "Orphaned export key",
      });
      await testRunner(db, TEST_NOW).drain();
      const [task] = await taskOf(db, result.taskId);
      expect(task).toMatchObject({ state: "verified", simulated: true });
      expect(task.verification).toMatch(/\[simulated\]$/);
      expect((await statusOf(db, id)).status).toBe("revoked");
    });
  });

  it("makes a manual task where no connector can revoke tokens; evidence given with the request confirms it", async () => {
    await rollback(async (db) => {
      const [c] = await rowsOf(
        db,
        sql`
        SELECT c.id FROM credentials c JOIN systems s ON s.id = c.issuer_system_id
         WHERE c.status = 'active' AND s.connector_kind = 'manual' AND s.criticality IN ('low', 'medium') ORDER BY c.id LIMIT 1`,
        { id: col.num },
      );
      const id = c ? Number(c.id) : await credentialId(db, EXPORT_KEY);
      if (!c)
        await db.execute(
          sql`UPDATE systems SET connector_kind = 'manual', connector_simulated = false, criticality = 'medium'
               WHERE id = (SELECT issuer_system_id FROM credentials WHERE id = ${id})`,
        );
      const ctx = await ctxAs(db, ["analyst"]);
      const r = await revokeCredential(ctx, {
        credentialId: id,
        reason: "Orphaned",
        evidence: "Deleted in the admin console, ticket SEC-4411",
      });
      expect(r).toMatchObject({ mode: "manual", state: "verified" });
      const [task] = await taskOf(db, r.taskId);
      expect(task).toMatchObject({ state: "verified", verification: "manual: confirmed with evidence" });
      expect(task.evidence?.first).toMatchObject({ note: "Deleted in the admin console, ticket SEC-4411" });
      expect((await statusOf(db, id)).status).toBe("revoked");
      expect(await taskAudit(db, r.taskId)).toEqual(["remediation.confirm"]);
    });
  });
});

describe("reduce scopes, assign owner, set expiry", () => {
  it("drops an unused scope at the (simulated) issuer: the blast radius falls when the task is verified", async () => {
    await rollback(async (db) => {
      const id = await credentialId(db, EXPORT_KEY);
      const before = await statusOf(db, id);
      const r = await reduceScopes(await ctxAs(db, ["analyst"]), {
        credentialId: id,
        drop: ["users:export"],
        reason: "Export unused for a year",
      });
      expect(r).toMatchObject({ mode: "connector", state: "queued" });
      expect((await statusOf(db, id)).scopes).toEqual(["users:read", "users:export"]);
      await testRunner(db, TEST_NOW).drain();
      const after = await statusOf(db, id);
      expect(after.scopes).toEqual(["users:read"]);
      expect(after.blast).toBe(before.blast - 32);
      const [task] = await taskOf(db, r.taskId);
      expect(task).toMatchObject({ action: "reduce_scopes", state: "verified", simulated: true });
      expect(task.params).toEqual({ keepScopes: ["users:read"], dropScopes: ["users:export"] });
      const [event] = await auditOf(db, id);
      expect(event).toMatchObject({ action: "api_scope.reduce_scopes" });
      expect(event.metadata).toMatchObject({ reason: "Export unused for a year" });
    });
  });

  it("refuses to drop every scope or one it does not hold", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const id = await credentialId(db, EXPORT_KEY);
      await expect(
        reduceScopes(ctx, { credentialId: id, drop: ["users:read", "users:export"], reason: "all" }),
      ).rejects.toThrow(/revoke the credential instead/);
      await expect(reduceScopes(ctx, { credentialId: id, drop: ["admin"], reason: "nope" })).rejects.toThrow(
        /does not hold admin/,
      );
    });
  });

  it("assigns an active person as owner (the orphan finding goes), never a non-human identity or a leaver", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const id = await credentialId(db, LOOKUP_SYNC);
      await expect(
        assignOwner(ctx, { credentialId: id, ownerId: await identityIdByName(db, "Ravi Menon") }),
      ).rejects.toThrow(/leaver: choose an active person/);
      await expect(
        assignOwner(ctx, { credentialId: id, ownerId: await identityIdByName(db, "ci-deploy-bot") }),
      ).rejects.toThrow(/not a person/);
      const daniel = await identityIdByName(db, "Daniel Brooks");
      expect(await assignOwner(ctx, { credentialId: id, ownerId: daniel })).toEqual({
        ownerId: daniel,
        owner: "Daniel Brooks",
      });
      const detail = await getCredential(ctx, id);
      expect(detail.findings.map((f) => f.id)).not.toContain("orphaned");
      expect((await auditOf(db, id)).at(-1)).toMatchObject({
        action: "api_scope.assign_owner",
        before: { owner: "Ravi Menon" },
        after: { owner: "Daniel Brooks" },
      });
    });
  });

  it("sets an expiry in the future only", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const id = await credentialId(db, LOOKUP_SYNC);
      await expect(
        setExpiry(ctx, { credentialId: id, expiresAt: new Date(TEST_NOW.getTime() - 1000) }),
      ).rejects.toThrow(Invalid);
      const at = new Date(TEST_NOW.getTime() + 30 * 86_400_000);
      await setExpiry(ctx, { credentialId: id, expiresAt: at });
      expect(new Date((await statusOf(db, id)).expires_at!).toISOString()).toBe(at.toISOString());
      expect((await getCredential(ctx, id)).findings.map((f) => f.id)).not.toContain("no_expiry");
    });
  });

  it("writes the change and its audit event in one transaction: no audit, no change", async () => {
    await rollback(async (db) => {
      const id = await credentialId(db, LOOKUP_SYNC);
      await db.execute(
        sql`CREATE FUNCTION pg_temp.no_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$`,
      );
      await db.execute(
        sql`CREATE TRIGGER no_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION pg_temp.no_audit()`,
      );
      const ctx = await ctxAs(db, ["analyst"]);
      const before = await statusOf(db, id);
      await expect(
        setExpiry(ctx, { credentialId: id, expiresAt: new Date(TEST_NOW.getTime() + 86_400_000) }),
      ).rejects.toThrow(/Failed query: insert into "audit_events"/);
      await expect(
        reduceScopes(ctx, { credentialId: id, drop: ["users:read.contact"], reason: "test" }),
      ).rejects.toThrow(/Failed query: insert into "audit_events"/);
      await expect(
        assignOwner(ctx, { credentialId: id, ownerId: await identityIdByName(db, "Daniel Brooks") }),
      ).rejects.toThrow(/Failed query: insert into "audit_events"/);
      expect(await statusOf(db, id)).toEqual(before);
    });
  });
});

describe("correcting an endpoint", () => {
  it("changes bulk, records per call and data classes in one audited transaction; reaching credentials' blast radius follows", async () => {
    await rollback(async (db) => {
      const [e] = await rowsOf(
        db,
        sql`
        SELECT e.id FROM api_endpoints e JOIN systems s ON s.id = e.system_id WHERE s.slug = 'customer-lookup-api' AND e.path = '/users/{id}/contact'`,
        { id: col.num },
      );
      const id = await credentialId(db, LOOKUP_SYNC);
      const before = (await statusOf(db, id)).blast;
      const r = await editEndpoint(await ctxAs(db, ["admin"]), {
        endpointId: Number(e.id),
        bulk: true,
        maxRecordsPerCall: 5000,
        dataClasses: ["pii", "credentials"],
      });
      expect(r.weight).toBe(10 * 4);
      expect((await statusOf(db, id)).blast).toBe(before - 8 + 40);
      const [event] = await rowsOf(
        db,
        sql`SELECT action, after FROM audit_events WHERE target_type = 'api_endpoint' AND target_id = ${String(e.id)}`,
        { action: col.text, after: z.unknown() },
      );
      expect(event).toEqual({
        action: "api_scope.edit_endpoint",
        after: { bulk: true, maxRecordsPerCall: 5000, dataClasses: ["pii", "credentials"] },
      });
      await expect(
        editEndpoint(await ctxByName(db, "Maya Patel"), {
          endpointId: Number(e.id),
          bulk: false,
          maxRecordsPerCall: null,
          dataClasses: [],
        }),
      ).rejects.toThrow(Forbidden);
    });
  });
});

describe("roles and scoping", () => {
  it("rejects the wrong role for every action: managers, executives and approvers cannot change credentials", async () => {
    await rollback(async (db) => {
      const id = await credentialId(db, LOOKUP_SYNC);
      const maya = await ctxByName(db, "Maya Patel");
      for (const ctx of [maya, await asExecutive(db), await ctxAs(db, ["approver"])]) {
        await expect(revokeCredential(ctx, { credentialId: id, reason: "x x x" })).rejects.toThrow(Forbidden);
        await expect(reduceScopes(ctx, { credentialId: id, drop: ["users:read"], reason: "x x x" })).rejects.toThrow(
          Forbidden,
        );
        await expect(assignOwner(ctx, { credentialId: id, ownerId: 1 })).rejects.toThrow(Forbidden);
        await expect(
          setExpiry(ctx, { credentialId: id, expiresAt: new Date(TEST_NOW.getTime() + 86_400_000) }),
        ).rejects.toThrow(Forbidden);
      }
      expect((await statusOf(db, id)).status).toBe("active");
    });
  });

  it("lets a manager read their team's credentials and no one else's (NotFound, not Forbidden: ids cannot be probed)", async () => {
    await rollback(async (db) => {
      const maya = await asManager(db, await identityIdByName(db, "Maya Patel"));
      expect((await getCredential(maya, await credentialId(db, LOOKUP_SYNC))).chain.owner?.name).toBe("Ravi Menon");
      const [outside] = await rowsOf(
        db,
        sql`
        SELECT c.id FROM credentials c JOIN identities h ON h.id = c.holder_id WHERE h.display_name = 'Chloe Martin' LIMIT 1`,
        { id: col.num },
      );
      await expect(getCredential(maya, Number(outside.id))).rejects.toThrow(NotFound);
      await expect(getCredential(await asExecutive(db), Number(outside.id))).rejects.toThrow(Forbidden);
      // Full-reach roles read it; the system actor too (jobs).
      await expect(
        getCredential(makeCtx((await ctxAs(db, ["admin"])).actor, db, TEST_NOW), Number(outside.id)),
      ).resolves.toBeTruthy();
    });
  });
});
