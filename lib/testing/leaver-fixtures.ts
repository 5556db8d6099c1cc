import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { storeCredentialHandle } from "@/lib/connectors/handles";
import { LocalRunner } from "@/lib/jobs/local-runner";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import type { OAuthPeer } from "./peers/oauth-server";
import type { ScimPeer } from "./peers/scim-server";

export const SCIM_SECRET_ENV = "LOCKSTEP_TEST_SCIM_TOKEN";
export const OAUTH_SECRET_ENV = "LOCKSTEP_TEST_OAUTH_SECRET";

async function one<T>(db: Db, q: ReturnType<typeof sql>): Promise<T> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows[0];
}

/**
 * Connects two real peers to the seeded organisation for one person: a "Connected App" whose SCIM server
 * holds the person's user (and an admin group they belong to, granted in Lockstep as a privileged
 * entitlement), and a "Partner API" whose OAuth server issued two tokens the person holds, registered as
 * credentials with sealed revocation handles. Both systems are real (not simulated) connectors.
 */
export async function connectPeers(db: Db, opts: { identityId: number; scim: ScimPeer; oauth: OAuthPeer; timeoutMs?: number; ownerId?: number | null }) {
  process.env[SCIM_SECRET_ENV] = opts.scim.token;
  process.env[OAUTH_SECRET_ENV] = opts.oauth.admin.clientSecret;
  const person = await one<{ email: string }>(db, sql`SELECT email FROM identities WHERE id = ${opts.identityId}`);
  const owner = opts.ownerId ?? null;
  const scimConfig = JSON.stringify({ baseUrl: opts.scim.url, secretEnv: SCIM_SECRET_ENV, timeoutMs: opts.timeoutMs ?? 2000 });
  const app = await one<{ id: number }>(db, sql`
    INSERT INTO systems (slug, name, category, criticality, connector_kind, connector_config, connector_simulated, deprovision_mode, max_concurrency, owner_id, description)
    VALUES ('connected-app', 'Connected App (SCIM peer)', 'saas', 'high', 'scim', ${scimConfig}::jsonb, false, 'deactivate', 8, ${owner}, 'Real SCIM 2.0 peer started by the test run')
    RETURNING id`);
  const externalId = `connected-app:${opts.identityId}`;
  const account = await one<{ id: number }>(db, sql`
    INSERT INTO accounts (system_id, identity_id, username, external_id, status) VALUES (${app.id}, ${opts.identityId}, ${person.email}, ${externalId}, 'active') RETURNING id`);
  const ent = await one<{ id: number }>(db, sql`INSERT INTO entitlements (system_id, name, privileged) VALUES (${app.id}, 'App Admins', true) RETURNING id`);
  await db.execute(sql`INSERT INTO grants (account_id, entitlement_id, source) VALUES (${account.id}, ${ent.id}, 'request')`);
  const scimUser = opts.scim.addUser({ userName: person.email, externalId, displayName: person.email });
  opts.scim.addGroup("App Admins", [scimUser.id]);

  const oauthConfig = JSON.stringify({
    clientId: opts.oauth.admin.clientId, revocationEndpoint: opts.oauth.revocationEndpoint, introspectionEndpoint: opts.oauth.introspectionEndpoint,
    tokenEndpoint: opts.oauth.tokenEndpoint, secretEnv: OAUTH_SECRET_ENV, timeoutMs: opts.timeoutMs ?? 2000,
  });
  const api = await one<{ id: number }>(db, sql`
    INSERT INTO systems (slug, name, category, criticality, connector_kind, connector_config, connector_simulated, max_concurrency, owner_id, description)
    VALUES ('partner-api', 'Partner API (OAuth peer)', 'api_gateway', 'high', 'oauth', ${oauthConfig}::jsonb, false, 8, ${owner}, 'Real OAuth 2.0 authorization server started by the test run')
    RETURNING id`);
  const tokens: { credentialId: number; token: string }[] = [];
  for (const [i, client] of opts.oauth.apps.entries()) {
    const token = await opts.oauth.issueToken(client);
    const cred = await one<{ id: number }>(db, sql`
      INSERT INTO credentials (kind, name, issuer_system_id, holder_id, owner_id, external_ref, scopes, status, created_at)
      VALUES ('oauth_client', ${`${client.clientId} token`}, ${api.id}, ${opts.identityId}, ${opts.identityId}, ${`peer-token-${opts.identityId}-${i}`}, '{api:read}', 'active', now())
      RETURNING id`);
    await storeCredentialHandle(db, Number(cred.id), token, "access_token");
    tokens.push({ credentialId: Number(cred.id), token });
  }
  return { appSystemId: Number(app.id), apiSystemId: Number(api.id), scimUser, tokens, accountId: Number(account.id) };
}

/** A test clock and the local runner driven by it: `drain()` runs every due job, `advance(ms)` moves time. */
export function testRunner(db: Db, start: Date) {
  let now = start;
  const runner = new LocalRunner(db, JOB_HANDLERS, { concurrency: 1, now: () => now, log: () => {} });
  return {
    runner,
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    drain: () => runner.drain(),
  };
}
