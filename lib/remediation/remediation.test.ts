import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { reduceScopes, revokeCredential } from "@/lib/api-scopes/commands";
import { storeHandle } from "@/lib/connectors/handles";
import { makeCtx, transact } from "@/lib/context";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { connectPeers, PEER_ADMIN_GROUP, testRunner } from "@/lib/testing/leaver-fixtures";
import { type OAuthPeer, startOAuthPeer } from "@/lib/testing/peers/oauth-server";
import { type ScimPeer, startScimPeer } from "@/lib/testing/peers/scim-server";
import { rowsOf } from "@/lib/testing/sql";
import { recheckTasks } from "./drift";
import { queueTasks, requestRemediation } from "./internal";

process.env.LOCKSTEP_JOBS = "local";
process.env.LOCKSTEP_RETRY_BASE_MS = "1000";

let scim: ScimPeer;
let oauth: OAuthPeer;
beforeAll(async () => {
  [scim, oauth] = await Promise.all([startScimPeer(), startOAuthPeer({ apps: 1 })]);
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

/** A seeded active person who is not a console user, with an account in the SCIM peer and a token at the OAuth peer. */
async function person(db: Db) {
  const [p] = await rowsOf(
    db,
    sql`
    SELECT i.id FROM identities i WHERE i.kind = 'human' AND i.status = 'active' AND i.email IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id) ORDER BY i.id OFFSET 7 LIMIT 1`,
    { id: col.num },
  );
  // Someone no other test file offboards, on systems of this file's own (files share the PostgreSQL test database).
  const peers = await connectPeers(db, { identityId: Number(p.id), scim, oauth, suffix: "engine" });
  return { identityId: Number(p.id), peers };
}

async function task(db: Db, id: number) {
  const [t] = await rowsOf(
    db,
    sql`SELECT state::text AS state, mode::text AS mode, verification, last_error, attempts, assignee_id, origin::text AS origin
          FROM remediation_tasks WHERE id = ${id}`,
  );
  return t;
}

/** An OAuth client registered at the peer (RFC 7591), recorded in Lockstep with its RFC 7592 registration sealed. */
async function registeredClient(db: Db, holderId: number, apiSystemId: number) {
  const client = await oauth.registerClient("api:read api:write");
  const [c] = await rowsOf(
    db,
    sql`
    INSERT INTO credentials (kind, name, issuer_system_id, holder_id, owner_id, external_ref, scopes, status, created_at)
    VALUES ('oauth_client', 'partner sync client', ${apiSystemId}, ${holderId}, ${holderId}, ${client.clientId},
            '{api:read,api:write}', 'active', now())
    RETURNING id`,
    { id: col.num },
  );
  await storeHandle(db, Number(c.id), {
    kind: "registration",
    registrationClientUri: client.registrationClientUri,
    registrationAccessToken: client.registrationAccessToken,
  });
  return { client, credentialId: Number(c.id) };
}

describe("the remediation engine against real peers", () => {
  it("reduces an OAuth client's scopes at the authorization server (RFC 7592), proven by a refused token request", async () => {
    await rollback(async (db) => {
      const { identityId, peers } = await person(db);
      const { client, credentialId } = await registeredClient(db, identityId, peers.apiSystemId);
      expect(await oauth.tokenFor(client, "api:write")).toMatchObject({ ok: true });

      const r = await reduceScopes(await ctxAs(db, ["analyst"]), {
        credentialId,
        drop: ["api:write"],
        reason: "Write scope unused for 90 days",
      });
      expect(r).toMatchObject({ mode: "connector", state: "queued" });
      await testRunner(db, TEST_NOW).drain();

      // The authorization server itself: the client keeps api:read and can no longer get api:write.
      expect(await oauth.tokenFor(client, "api:write")).toEqual({ ok: false, error: "invalid_scope" });
      expect(await oauth.tokenFor(client, "api:read")).toMatchObject({ ok: true });
      const t = await task(db, r.taskId);
      expect(t.state).toBe("verified");
      expect(t.verification).toMatch(
        /^RFC 7592 GET: scope "api:read"; token request for "api:write" refused \(400 invalid_scope\)$/,
      );
      const [cred] = await rowsOf(db, sql`SELECT scopes FROM credentials WHERE id = ${credentialId}`, {
        scopes: col.textArray,
      });
      expect(cred.scopes).toEqual(["api:read"]);
    });
  });

  it("revokes an OAuth client by deleting its registration (RFC 7592), without holding any of its tokens", async () => {
    await rollback(async (db) => {
      const { identityId, peers } = await person(db);
      const { client, credentialId } = await registeredClient(db, identityId, peers.apiSystemId);
      const r = await revokeCredential(await ctxAs(db, ["analyst"]), { credentialId, reason: "Owner left" });
      await testRunner(db, TEST_NOW).drain();
      expect(await task(db, r.taskId)).toMatchObject({
        state: "verified",
        verification: "RFC 7592 GET: the client no longer exists (401)",
      });
      expect(await oauth.tokenFor(client, "api:read")).toEqual({ ok: false, error: "invalid_client" });
    });
  });

  it("adds a group membership at the SCIM peer (an emergency grant) and removes it again, each verified by GET", async () => {
    await rollback(async (db) => {
      const { identityId, peers } = await person(db);
      const [bg] = await rowsOf(db, sql`SELECT id FROM break_glass_requests ORDER BY id LIMIT 1`, { id: col.num });
      const group = () => [...scim.groups.values()].find((g) => g.displayName === PEER_ADMIN_GROUP)!;
      // Not a member yet, at the peer or in Lockstep.
      group().members = [];
      await db.execute(
        sql`UPDATE grants SET revoked_at = ${TEST_NOW.toISOString()}::timestamptz WHERE account_id = ${peers.accountId}`,
      );
      const ctx = makeCtx({ kind: "system", id: null, name: "break-glass", roles: [] }, db, TEST_NOW);
      const expiresAt = new Date(TEST_NOW.getTime() + 4 * 3_600_000).toISOString();
      const [added] = await transact(ctx, async (tx) => {
        const tasks = await requestRemediation(tx, {
          origin: "break_glass",
          items: [
            {
              originId: Number(bg.id),
              subjectId: identityId,
              systemId: peers.appSystemId,
              action: "add_grant",
              targetType: "entitlement",
              targetId: peers.adminEntitlementId,
              label: `${PEER_ADMIN_GROUP} (emergency)`,
              privileged: true,
              params: { accountId: peers.accountId, grantSource: "break_glass", expiresAt },
            },
          ],
          event: { name: "break_glass.activate", targetType: "break_glass_request" },
        });
        await queueTasks(tx, { taskIds: tasks.map((t) => t.id) });
        return tasks;
      });
      await testRunner(db, TEST_NOW).drain();
      expect(await task(db, added.id)).toMatchObject({
        state: "verified",
        verification: expect.stringMatching(/a member$/),
      });
      expect(group().members.map((m) => m.value)).toEqual([peers.scimUser.id]);
      const [grant] = await rowsOf(
        db,
        sql`SELECT id, source::text AS source, expires_at FROM grants
             WHERE account_id = ${peers.accountId} AND entitlement_id = ${peers.adminEntitlementId} AND revoked_at IS NULL`,
        { id: col.num, source: col.text, expires_at: col.text },
      );
      expect(grant.source).toBe("break_glass");
      expect(new Date(grant.expires_at).toISOString()).toBe(expiresAt);

      // At expiry the origin asks for the removal, through the same engine.
      const [removed] = await transact(ctx, async (tx) => {
        const tasks = await requestRemediation(tx, {
          origin: "break_glass",
          items: [
            {
              originId: Number(bg.id),
              subjectId: identityId,
              systemId: peers.appSystemId,
              action: "remove_grant",
              targetType: "grant",
              targetId: Number(grant.id),
              label: `${PEER_ADMIN_GROUP} (emergency)`,
              privileged: true,
            },
          ],
        });
        await queueTasks(tx, { taskIds: tasks.map((t) => t.id) });
        return tasks;
      });
      await testRunner(db, TEST_NOW).drain();
      expect(await task(db, removed.id)).toMatchObject({ state: "verified" });
      expect(group().members).toEqual([]);
    });
  });

  it("decides each task's mode: a token without a handle is manual for the system owner; a request is idempotent", async () => {
    await rollback(async (db) => {
      const { identityId, peers } = await person(db);
      const [owner] = await rowsOf(db, sql`SELECT owner_id AS id FROM systems WHERE id = ${peers.apiSystemId}`, {
        id: col.numOrNull,
      });
      const [cred] = await rowsOf(
        db,
        sql`
        INSERT INTO credentials (kind, name, issuer_system_id, holder_id, owner_id, external_ref, scopes, status, created_at)
        VALUES ('api_key', 'unregistered key', ${peers.apiSystemId}, ${identityId}, ${identityId}, 'k-1', '{api:read}', 'active', now())
        RETURNING id`,
        { id: col.num },
      );
      const ctx = await ctxAs(db, ["analyst"]);
      const item = {
        originId: Number(cred.id),
        subjectId: identityId,
        systemId: peers.apiSystemId,
        action: "revoke_credential" as const,
        targetType: "credential",
        targetId: Number(cred.id),
        label: "unregistered key",
      };
      const first = await transact(ctx, (tx) => requestRemediation(tx, { origin: "credential_page", items: [item] }));
      expect(first).toHaveLength(1);
      expect(await task(db, first[0].id)).toMatchObject({ mode: "manual", assignee_id: owner.id ?? null });
      const again = await transact(ctx, (tx) => requestRemediation(tx, { origin: "credential_page", items: [item] }));
      expect(again).toEqual([]);
    });
  });

  it("drift for an origin without a hook: the change found undone is queued again and redone", async () => {
    await rollback(async (db) => {
      const { identityId, peers } = await person(db);
      const ctx = await ctxAs(db, ["analyst"]);
      const [t] = await transact(ctx, async (tx) => {
        const tasks = await requestRemediation(tx, {
          origin: "drift",
          items: [
            {
              originId: 1,
              subjectId: identityId,
              systemId: peers.appSystemId,
              action: "disable_account",
              targetType: "account",
              targetId: peers.accountId,
              label: "Connected App account",
            },
          ],
        });
        await queueTasks(tx, { taskIds: tasks.map((x) => x.id) });
        return tasks;
      });
      const clock = testRunner(db, TEST_NOW);
      await clock.drain();
      expect(scim.users.get(peers.scimUser.id)?.active).toBe(false);

      scim.users.get(peers.scimUser.id)!.active = true; // an upstream sync turned it back on
      const result = await recheckTasks(db, [t.id], TEST_NOW, {});
      expect(result).toEqual({ checked: 1, drifted: 1 });
      await clock.drain();
      expect(scim.users.get(peers.scimUser.id)?.active).toBe(false);
      expect(await task(db, t.id)).toMatchObject({ state: "verified" });
      const events = await rowsOf(
        db,
        sql`SELECT action FROM audit_events WHERE target_type = 'remediation_task' AND target_id = ${String(t.id)} ORDER BY id`,
        { action: col.text },
      );
      expect(events.map((e) => e.action)).toEqual([
        "remediation.execute",
        "remediation.verify",
        "remediation.drift",
        "remediation.execute",
        "remediation.verify",
      ]);
    });
  });
});
