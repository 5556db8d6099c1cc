import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { reduceScopes, registerHandle, revokeCredential, rotateClientSecret } from "@/lib/api-scopes/commands";
import { getCredential } from "@/lib/api-scopes/credential";
import { registerHandleInput } from "@/lib/api-scopes/schemas";
import { Conflict, Forbidden, Invalid } from "@/lib/errors";
import { confirmRun } from "@/lib/imports";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { allRows, previewText } from "@/lib/testing/imports";
import { createPeerSystems, testRunner } from "@/lib/testing/leaver-fixtures";
import type { PeersInfo } from "@/lib/testing/peers/info";
import { type OAuthPeer, startOAuthPeer } from "@/lib/testing/peers/oauth-server";
import { rowsOf } from "@/lib/testing/sql";

process.env.LOCKSTEP_JOBS = "local";

// Two real authorization servers (oidc-provider): a stock one, and one that issues a new client secret on every
// RFC 7592 update. Lockstep authenticates to both as the same admin client (one secret env var).
let oauth: OAuthPeer;
let rotating: OAuthPeer;
beforeAll(async () => {
  oauth = await startOAuthPeer({ apps: 1 });
  rotating = await startOAuthPeer({ apps: 0, admin: oauth.admin, rotateSecretOnUpdate: true });
});
afterAll(async () => {
  await Promise.all([oauth?.stop(), rotating?.stop()]);
});

const info = (peer: OAuthPeer): PeersInfo => ({
  scim: { url: "http://127.0.0.1:9/unused", token: "unused" },
  oauth: {
    issuer: peer.issuer,
    tokenEndpoint: peer.tokenEndpoint,
    revocationEndpoint: peer.revocationEndpoint,
    introspectionEndpoint: peer.introspectionEndpoint,
    admin: peer.admin,
    apps: peer.apps,
  },
});

/** A credential on a system connected to the peer, known to Lockstep without any handle (as an import leaves it). */
async function credentialAt(db: Db, peer: OAuthPeer, suffix: string, kind: "oauth_client" | "api_key", ref: string) {
  const { apiSystemId } = await createPeerSystems(db, info(peer), { suffix });
  const [h] = await rowsOf(
    db,
    sql`SELECT id FROM identities WHERE kind = 'human' AND status = 'active' ORDER BY id OFFSET 11 LIMIT 1`,
    { id: col.num },
  );
  const [c] = await rowsOf(
    db,
    sql`
    INSERT INTO credentials (kind, name, issuer_system_id, holder_id, owner_id, external_ref, scopes, status, created_at)
    VALUES (${kind}::credential_kind, ${`handles ${suffix}`}, ${apiSystemId}, ${h.id}, ${h.id}, ${ref}, '{api:read,api:write}', 'active', now())
    RETURNING id`,
    { id: col.num },
  );
  return Number(c.id);
}

/** Every audit event about the credential, as text: the handle's value must appear in none. */
async function auditText(db: Db, credentialId: number) {
  const rows = await rowsOf(
    db,
    sql`SELECT action, row_to_json(a)::text AS body FROM audit_events a
         WHERE target_type = 'credential' AND target_id = ${String(credentialId)} ORDER BY id`,
    { action: col.text, body: col.text },
  );
  return { actions: rows.map((r) => r.action), text: rows.map((r) => r.body).join("\n") };
}

async function taskState(db: Db, id: number) {
  const [t] = await rowsOf(db, sql`SELECT state::text AS state, verification FROM remediation_tasks WHERE id = ${id}`, {
    state: col.text,
    verification: col.textOrNull,
  });
  return t;
}

const register = async (db: Db, input: unknown) =>
  registerHandle(await ctxAs(db, ["admin"]), registerHandleInput.parse(input));

describe("registering a credential's revocation handle", () => {
  it("lets a token registered through the command be revoked with RFC 7009 (introspection: inactive)", async () => {
    await rollback(async (db) => {
      const id = await credentialAt(db, oauth, "handles-token", "api_key", "partner-token-1");
      const token = await oauth.issueToken(oauth.apps[0], "api:read");
      expect((await oauth.introspect(token)).active).toBe(true);
      const admin = await ctxAs(db, ["admin"]);

      const before = await getCredential(admin, id);
      expect(before.credential).toMatchObject({ hasHandle: false, handleRegisteredAt: null });
      expect(await register(db, { credentialId: id, kind: "token", token, tokenTypeHint: "access_token" })).toEqual({
        kind: "token",
        replaced: false,
      });

      const r = await revokeCredential(await ctxAs(db, ["analyst"]), {
        credentialId: id,
        reason: "Leaked in a ticket",
      });
      expect(r).toMatchObject({ mode: "connector", state: "queued" });
      await testRunner(db, TEST_NOW).drain();
      expect(await taskState(db, r.taskId)).toEqual({
        state: "verified",
        verification: "introspection (RFC 7662): active=false",
      });
      expect((await oauth.introspect(token)).active).toBe(false);

      // Page data and the audit log say that a handle is set, and when — never its value.
      const page = await getCredential(admin, id);
      expect(page.credential).toMatchObject({ hasHandle: true, handleKind: "token" });
      expect(page.credential.handleRegisteredAt).toBeInstanceOf(Date);
      expect(JSON.stringify(page)).not.toContain(token);
      const audit = await auditText(db, id);
      expect(audit.actions).toContain("api_scope.register_handle");
      expect(audit.text).not.toContain(token);
    });
  });

  it("manages an OAuth client through the registration it was given: reduce, then delete (RFC 7592)", async () => {
    await rollback(async (db) => {
      const client = await oauth.registerClient("api:read api:write");
      const id = await credentialAt(db, oauth, "handles-client", "oauth_client", client.clientId);
      await register(db, {
        credentialId: id,
        kind: "registration",
        registrationClientUri: client.registrationClientUri,
        registrationAccessToken: client.registrationAccessToken,
      });
      const analyst = await ctxAs(db, ["analyst"]);
      const runner = testRunner(db, TEST_NOW);

      const reduced = await reduceScopes(analyst, { credentialId: id, drop: ["api:write"], reason: "Never writes" });
      await runner.drain();
      expect((await taskState(db, reduced.taskId)).state).toBe("verified");
      expect(await oauth.tokenFor(client, "api:write")).toEqual({ ok: false, error: "invalid_scope" });
      expect(await oauth.tokenFor(client, "api:read")).toMatchObject({ ok: true });

      const deleted = await revokeCredential(analyst, { credentialId: id, reason: "Partner contract ended" });
      await runner.drain();
      expect(await taskState(db, deleted.taskId)).toEqual({
        state: "verified",
        verification: "RFC 7592 GET: the client no longer exists (401)",
      });
      expect(await oauth.tokenFor(client, "api:read")).toEqual({ ok: false, error: "invalid_client" });

      const audit = await auditText(db, id);
      expect(audit.text).not.toContain(client.registrationAccessToken);
      expect(audit.text).not.toContain(client.clientSecret);
      expect(JSON.stringify(await getCredential(await ctxAs(db, ["admin"]), id))).not.toContain(
        client.registrationAccessToken,
      );
    });
  });

  it("replaces a handle, and refuses what could never be used or would send the token elsewhere", async () => {
    await rollback(async (db) => {
      const client = await oauth.registerClient("api:read");
      const id = await credentialAt(db, oauth, "handles-refusals", "oauth_client", client.clientId);
      const registration = {
        credentialId: id,
        kind: "registration",
        registrationClientUri: client.registrationClientUri,
        registrationAccessToken: client.registrationAccessToken,
      };
      await expect(
        register(db, { ...registration, registrationClientUri: "https://attacker.example/reg/x" }),
      ).rejects.toThrow(Invalid);
      expect(await register(db, registration)).toEqual({ kind: "registration", replaced: false });
      expect(await register(db, registration)).toEqual({ kind: "registration", replaced: true });

      const key = await credentialAt(db, oauth, "handles-key", "api_key", "partner-key-1");
      await expect(register(db, { ...registration, credentialId: key })).rejects.toThrow(/Only an OAuth client/);
      // A seeded credential on a simulated, non-OAuth issuer: Lockstep would never use a handle there.
      const [seeded] = await rowsOf(
        db,
        sql`SELECT c.id FROM credentials c JOIN systems s ON s.id = c.issuer_system_id
             WHERE c.status = 'active' AND s.connector_kind <> 'oauth' ORDER BY c.id LIMIT 1`,
        { id: col.num },
      );
      await expect(
        register(db, { credentialId: Number(seeded.id), kind: "token", token: "a-token-value-123" }),
      ).rejects.toThrow(Conflict);
    });
  });

  it("is for administrators only: analysts and every other role are refused and nothing is stored", async () => {
    await rollback(async (db) => {
      const id = await credentialAt(db, oauth, "handles-roles", "api_key", "partner-token-roles");
      const input = registerHandleInput.parse({ credentialId: id, kind: "token", token: "not-a-real-token-123" });
      for (const role of ["analyst", "manager", "approver", "executive"] as const) {
        await expect(registerHandle(await ctxAs(db, [role]), input), role).rejects.toThrow(Forbidden);
        await expect(rotateClientSecret(await ctxAs(db, [role]), { credentialId: id }), role).rejects.toThrow(
          Forbidden,
        );
      }
      const [n] = await rowsOf(db, sql`SELECT count(*)::int AS n FROM credential_handles WHERE credential_id = ${id}`, {
        n: col.num,
      });
      expect(n.n).toBe(0);
    });
  });
});

describe("rotating an OAuth client's secret (RFC 7592)", () => {
  it("returns the new secret once; the old one is refused at the token endpoint; nothing records it", async () => {
    await rollback(async (db) => {
      const client = await rotating.registerClient("api:read");
      const id = await credentialAt(db, rotating, "handles-rotate", "oauth_client", client.clientId);
      await register(db, {
        credentialId: id,
        kind: "registration",
        registrationClientUri: client.registrationClientUri,
        registrationAccessToken: client.registrationAccessToken,
      });
      const r = await rotateClientSecret(await ctxAs(db, ["admin"]), { credentialId: id });
      expect(r.secret).not.toBe(client.clientSecret);
      expect(r.verification).toMatch(
        /^RFC 7592 GET holds the new secret; token request with the new secret accepted; with the old one refused \(401 invalid_client\)$/,
      );
      expect(await rotating.tokenFor(client, "api:read")).toEqual({ ok: false, error: "invalid_client" });
      expect(await rotating.tokenFor({ clientId: client.clientId, clientSecret: r.secret }, "api:read")).toMatchObject({
        ok: true,
      });

      const page = await getCredential(await ctxAs(db, ["admin"]), id);
      expect(page.credential.lastRotatedAt).toEqual(TEST_NOW);
      expect(JSON.stringify(page)).not.toContain(r.secret);
      const audit = await auditText(db, id);
      expect(audit.actions).toContain("api_scope.rotate_secret");
      expect(audit.text).not.toContain(r.secret);

      // The registration access token the server rotated with the update was kept: the client can still be managed.
      const again = await rotateClientSecret(await ctxAs(db, ["admin"]), { credentialId: id });
      expect(again.secret).not.toBe(r.secret);
    });
  });

  it("says so when the authorization server keeps the secret (stock oidc-provider) and records nothing", async () => {
    await rollback(async (db) => {
      const client = await oauth.registerClient("api:read");
      const id = await credentialAt(db, oauth, "handles-norotate", "oauth_client", client.clientId);
      await register(db, {
        credentialId: id,
        kind: "registration",
        registrationClientUri: client.registrationClientUri,
        registrationAccessToken: client.registrationAccessToken,
      });
      await expect(rotateClientSecret(await ctxAs(db, ["admin"]), { credentialId: id })).rejects.toThrow(
        /does not issue a new client secret through RFC 7592/,
      );
      expect((await auditText(db, id)).actions).not.toContain("api_scope.rotate_secret");
      expect(await oauth.tokenFor(client, "api:read")).toMatchObject({ ok: true });
    });
  });
});

describe("handles in a credential file (import kind credentials)", () => {
  /** Everything the run stored, as text: a handle's value must never be there, before or after applying. */
  const runText = async (db: Db, runId: number) =>
    (
      await rowsOf(
        db,
        sql`SELECT coalesce(string_agg(data::text || coalesce(message, ''), ' '), '') AS t FROM import_rows WHERE run_id = ${runId}`,
        {
          t: col.text,
        },
      )
    )[0].t;

  it("seals a token and a client registration at import; applied, they revoke and delete at the issuer", async () => {
    await rollback(async (db) => {
      const { apiSystemId } = await createPeerSystems(db, info(oauth), { suffix: "handles-import" });
      const [holder] = await rowsOf(
        db,
        sql`SELECT email FROM identities WHERE kind = 'human' AND status = 'active' AND email IS NOT NULL ORDER BY id OFFSET 12 LIMIT 1`,
        { email: col.text },
      );
      const token = await oauth.issueToken(oauth.apps[0], "api:read");
      const client = await oauth.registerClient("api:read");
      const csv = [
        "id,holder,kind,scopes,revocation_token,token_type_hint,registration_client_uri,registration_access_token",
        `imported-token-1,${holder.email},token,api:read,${token},access_token,,`,
        `${client.clientId},${holder.email},oauth client,api:read,,,${client.registrationClientUri},${client.registrationAccessToken}`,
        `imported-bad-1,${holder.email},token,api:read,${token},,${client.registrationClientUri},`,
      ].join("\n");
      const admin = await ctxAs(db, ["admin"]);
      const preview = await previewText(admin, "credentials", csv, { params: { systemId: apiSystemId } });
      const rows = await allRows(admin, preview.id);
      expect(rows.map((r) => [r.line, r.status, r.message])).toEqual([
        [2, "ok", "Registers its revocation handle (token)."],
        [3, "ok", "Registers its revocation handle (client registration)."],
        [4, "error", "Give either a revocation token or a client registration, not both."],
      ]);
      // What the preview sends to the browser says a row has a handle, never what it is (not even sealed).
      expect(rows.slice(0, 2).map((r) => r.data.handle)).toEqual([true, true]);
      expect(await runText(db, preview.id)).toContain("imported-token-1");
      for (const secret of [token, client.registrationAccessToken, client.registrationClientUri]) {
        expect(await runText(db, preview.id)).not.toContain(secret);
      }

      const done = await confirmRun(admin, { runId: preview.id, digest: preview.digest! });
      expect(done.summary.result).toEqual({ created: 2, updated: 0, handles: 2 });
      expect(await runText(db, preview.id)).not.toContain(token);
      const ids = await rowsOf(
        db,
        sql`SELECT c.id, c.external_ref AS ref, h.kind::text AS kind FROM credentials c JOIN credential_handles h ON h.credential_id = c.id
             WHERE c.issuer_system_id = ${apiSystemId} ORDER BY c.external_ref`,
        { id: col.int, ref: col.text, kind: col.text },
      );
      expect(ids.map((r) => [r.ref, r.kind]).sort()).toEqual(
        [
          [client.clientId, "registration"],
          ["imported-token-1", "token"],
        ].sort(),
      );

      const analyst = await ctxAs(db, ["analyst"]);
      const runner = testRunner(db, TEST_NOW);
      for (const r of ids) await revokeCredential(analyst, { credentialId: r.id, reason: "Imported, then revoked" });
      await runner.drain();
      expect((await oauth.introspect(token)).active).toBe(false);
      expect(await oauth.tokenFor(client, "api:read")).toEqual({ ok: false, error: "invalid_client" });
      const audits = await rowsOf(
        db,
        sql`SELECT row_to_json(a)::text AS t FROM audit_events a ORDER BY id DESC LIMIT 50`,
        {
          t: col.text,
        },
      );
      expect(audits.map((a) => a.t).join(" ")).not.toContain(token);
    });
  });

  it("turns an analyst's handle rows into errors (handles are for administrators), without storing the value", async () => {
    await rollback(async (db) => {
      const { apiSystemId } = await createPeerSystems(db, info(oauth), { suffix: "handles-import-analyst" });
      const [holder] = await rowsOf(
        db,
        sql`SELECT email FROM identities WHERE kind = 'human' AND status = 'active' AND email IS NOT NULL ORDER BY id OFFSET 12 LIMIT 1`,
        { email: col.text },
      );
      const csv = `id,holder,kind,handle\nanalyst-token-1,${holder.email},token,secret-token-value-xyz\nanalyst-token-2,${holder.email},token,\n`;
      const analyst = await ctxAs(db, ["analyst"]);
      const preview = await previewText(analyst, "credentials", csv, { params: { systemId: apiSystemId } });
      const rows = await allRows(analyst, preview.id);
      expect(rows[0]).toMatchObject({ status: "error", message: expect.stringMatching(/^Only an administrator/) });
      expect(rows[1]).toMatchObject({ status: "ok", code: "new" });
      expect(await runText(db, preview.id)).not.toContain("secret-token-value-xyz");

      // An administrator's previewed file cannot be applied by an analyst: its handles would be registered.
      const byAdmin = await previewText(await ctxAs(db, ["admin"]), "credentials", csv, {
        params: { systemId: apiSystemId },
      });
      expect((await allRows(analyst, byAdmin.id)).map((r) => r.status)).toEqual(["ok", "ok"]);
      await expect(confirmRun(analyst, { runId: byAdmin.id, digest: byAdmin.digest! })).rejects.toThrow(Forbidden);
      const [n] = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM credentials WHERE issuer_system_id = ${apiSystemId}`,
        { n: col.num },
      );
      expect(n.n).toBe(0);
    });
  });
});
