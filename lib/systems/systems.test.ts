import { createServer } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { Conflict } from "@/lib/errors";
import { ctxAs, identityIdByName } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { OAUTH_SECRET_ENV, SCIM_SECRET_ENV } from "@/lib/testing/leaver-fixtures";
import { type OAuthPeer, startOAuthPeer } from "@/lib/testing/peers/oauth-server";
import { type ScimPeer, startScimPeer } from "@/lib/testing/peers/scim-server";
import { rowsOf } from "@/lib/testing/sql";
import { createSystem, testConnection, updateSystem } from "./commands";
import { loadSystemSettings } from "./queries";
import { type CreateSystemInput, createSystemInput, updateSystemInput } from "./schemas";

/** Connecting a system and testing the connection, against the real SCIM and OAuth test peers. */
let scim: ScimPeer;
let oauth: OAuthPeer;
beforeAll(async () => {
  [scim, oauth] = await Promise.all([startScimPeer(), startOAuthPeer({ apps: 1 })]);
  process.env[SCIM_SECRET_ENV] = scim.token;
  process.env[OAUTH_SECRET_ENV] = oauth.admin.clientSecret;
  process.env.LOCKSTEP_ADMINTEST_WRONG_TOKEN = "not-the-token";
});
afterAll(async () => {
  await Promise.all([scim?.stop(), oauth?.stop()]);
});

async function form(db: Db, over: Record<string, unknown> = {}): Promise<CreateSystemInput> {
  return createSystemInput.parse({
    name: "Acme HR (SCIM)",
    category: "saas",
    criticality: "high",
    ownerId: await identityIdByName(db, "Avery Chen"),
    connectorKind: "scim",
    simulated: false,
    deprovisionMode: "deactivate",
    maxConcurrency: 4,
    baseUrl: scim.url,
    secretEnv: SCIM_SECRET_ENV,
    timeoutMs: 5000,
    ...over,
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe("connecting a system", () => {
  it("an admin connects a system to the SCIM peer and the test says what it answered, audited", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const { systemId, slug } = await createSystem(admin, await form(db));
      expect(slug).toBe("acme-hr-scim");
      const saved = await loadSystemSettings(admin, systemId);
      // Only the variable's name is stored, never the token.
      expect(saved?.connectorConfig).toEqual({ baseUrl: scim.url, secretEnv: SCIM_SECRET_ENV, timeoutMs: 5000 });
      expect(JSON.stringify(saved)).not.toContain(scim.token);

      const result = await testConnection(admin, { systemId });
      expect(result.outcome, result.summary).toBe("ok");
      expect(result.steps.map((s) => [s.call, s.status, s.ok])).toEqual([
        ["GET /ServiceProviderConfig", 200, true],
        ["GET /Users (one)", 200, true],
      ]);
      expect(result.steps[0].answer).toMatch(/^PATCH yes, filter yes/);
      expect(result.steps[1].answer).toBe("bearer token accepted; 0 users");
      for (const s of result.steps) expect(s.latencyMs).toBeGreaterThanOrEqual(0);

      const events = await rowsOf(
        db,
        sql`SELECT action, after::text AS after FROM audit_events WHERE target_type = 'system'
             AND target_id = ${String(systemId)} ORDER BY id`,
        { action: col.text, after: col.text },
      );
      expect(events.map((e) => e.action)).toEqual(["system.create", "system.test_connection"]);
      expect(events.map((e) => e.after).join()).not.toContain(scim.token);
    });
  });

  it("shows a refused token, an endpoint that does not answer and a simulated system for what they are", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const wrong = await createSystem(
        admin,
        await form(db, {
          name: "Wrong token",
          baseUrl: scim.url,
          secretEnv: "LOCKSTEP_ADMINTEST_WRONG_TOKEN",
        }),
      );
      const refused = await testConnection(admin, wrong);
      expect(refused.outcome).toBe("failed");
      expect(refused.steps.find((s) => !s.ok)?.status).toBe(401);
      expect(refused.summary).toMatch(/Not connected: .*401/);

      const down = await createSystem(
        admin,
        await form(db, {
          name: "Nobody home",
          baseUrl: `http://127.0.0.1:${await closedPort()}/scim/v2`,
          secretEnv: SCIM_SECRET_ENV,
        }),
      );
      const unreachable = await testConnection(admin, down);
      expect(unreachable.outcome).toBe("failed");
      expect(unreachable.steps[0]).toMatchObject({ status: null, ok: false });
      expect(unreachable.steps[0].answer).toMatch(/network error/);

      const unset = await createSystem(
        admin,
        await form(db, { name: "Secret unset", baseUrl: scim.url, secretEnv: "LOCKSTEP_UNSET_TOKEN" }),
      );
      expect((await testConnection(admin, unset)).summary).toContain("LOCKSTEP_UNSET_TOKEN is not set");

      const sim = await createSystem(
        admin,
        await form(db, { name: "Demo stand-in", simulated: true, baseUrl: undefined, secretEnv: undefined }),
      );
      const simulated = await testConnection(admin, sim);
      expect(simulated).toMatchObject({ outcome: "simulated", steps: [] });
      expect(simulated.summary).toMatch(/^Simulated: no call is made/);
    });
  });

  it("tests an OAuth connector with introspection and revocation of a token that never existed", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const oauthForm = (name: string, secretEnv: string) =>
        form(db, {
          name,
          connectorKind: "oauth",
          baseUrl: undefined,
          clientId: oauth.admin.clientId,
          tokenEndpoint: oauth.tokenEndpoint,
          revocationEndpoint: oauth.revocationEndpoint,
          introspectionEndpoint: oauth.introspectionEndpoint,
          secretEnv,
        });
      const ok = await testConnection(
        admin,
        await createSystem(admin, await oauthForm("Partner (OAuth)", OAUTH_SECRET_ENV)),
      );
      expect(ok.outcome, ok.summary).toBe("ok");
      expect(ok.steps.map((s) => [s.call, s.status])).toEqual([
        ["POST introspection (RFC 7662)", 200],
        ["POST revocation (RFC 7009)", 200],
      ]);
      const bad = await testConnection(
        admin,
        await createSystem(admin, await oauthForm("Partner, wrong secret", "LOCKSTEP_ADMINTEST_WRONG_TOKEN")),
      );
      expect(bad.outcome).toBe("failed");
      expect(bad.steps[0].status).toBe(401);
    });
  });

  it("edits a system (audited before and after), refuses a duplicate name, and validates the settings", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const { systemId } = await createSystem(admin, await form(db));
      await expect(createSystem(admin, await form(db))).rejects.toThrow(Conflict);
      const edit = updateSystemInput.parse({
        ...(await form(db)),
        systemId,
        criticality: "critical",
        deprovisionMode: "delete",
        maxConcurrency: 2,
        simulated: true,
      });
      await updateSystem(admin, edit);
      expect(await loadSystemSettings(admin, systemId)).toMatchObject({
        criticality: "critical",
        deprovisionMode: "delete",
        maxConcurrency: 2,
        connectorSimulated: true,
      });
      const [e] = await rowsOf(
        db,
        sql`SELECT before->>'criticality' AS was, after->>'criticality' AS now FROM audit_events
             WHERE action = 'system.update' AND target_id = ${String(systemId)}`,
        { was: col.text, now: col.text },
      );
      expect(e).toEqual({ was: "high", now: "critical" });

      const base = await form(db);
      const bad = (connector: object, over: object = {}) => {
        const { baseUrl: _b, secretEnv: _s, ...rest } = base;
        const error = createSystemInput.safeParse({ ...rest, ...connector, ...over }).error;
        return error && [...new Set(error.issues.map((i) => i.path.join(".")))];
      };
      // Lockstep's own secrets can never be named: "test connection" would send them to the URL typed here.
      for (const name of [
        "AUTH_SECRET",
        "LOCKSTEP_ENCRYPTION_KEY",
        "LOCKSTEP_OIDC_CLIENT_SECRET",
        "LOCKSTEP_AUDIT_SIGNING_KEY",
        "DATABASE_URL",
      ])
        expect(bad({ baseUrl: scim.url, secretEnv: name }), name).toEqual(["secretEnv"]);
      // Every seeded system can be saved as it is (the form sends its settings back unchanged).
      const seeded = await rowsOf(
        db,
        sql`SELECT id, connector_kind::text AS kind, connector_simulated AS sim, connector_config::text AS config FROM systems`,
        { id: col.num, kind: col.text, sim: col.bool, config: col.text },
      );
      for (const row of seeded) {
        const parsed = createSystemInput.safeParse({
          ...base,
          baseUrl: undefined,
          secretEnv: undefined,
          timeoutMs: undefined,
          connectorKind: row.kind,
          simulated: row.sim,
          ...JSON.parse(row.config),
        });
        expect(parsed.error?.issues, `system ${row.id}`).toBeUndefined();
      }
      expect(bad({ baseUrl: "ftp://x.example", secretEnv: SCIM_SECRET_ENV })).toEqual(["baseUrl"]);
      expect(bad({ secretEnv: SCIM_SECRET_ENV })).toEqual(["baseUrl"]); // a real connector needs its URL
      expect(bad({}, { simulated: true })).toBeUndefined(); // a simulated one may do without
      expect(bad({}, { connectorKind: "manual", simulated: true })).toEqual(["simulated"]);
      expect(bad({ baseUrl: scim.url, secretEnv: SCIM_SECRET_ENV }, { maxConcurrency: 0 })).toEqual(["maxConcurrency"]);
    });
  });
});
