import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { storeCredentialHandle } from "@/lib/connectors/handles";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { LocalRunner } from "@/lib/jobs/local-runner";
import { issueToken, type PeersInfo, scim } from "./peers/info";
import type { OAuthPeer } from "./peers/oauth-server";
import type { ScimPeer } from "./peers/scim-server";
import { rowsOf } from "./sql";

export const SCIM_SECRET_ENV = "LOCKSTEP_TEST_SCIM_TOKEN";
export const OAUTH_SECRET_ENV = "LOCKSTEP_TEST_OAUTH_SECRET";
export const PEER_ADMIN_GROUP = "App Admins";

async function one<S extends z.ZodRawShape>(db: Db, q: SQL, shape: S) {
  const [row] = await rowsOf(db, q, shape);
  if (!row) throw new Error("The fixture query returned no row.");
  return row;
}

export function peersInfo(scimPeer: ScimPeer, oauth: OAuthPeer): PeersInfo {
  return {
    scim: { url: scimPeer.url, token: scimPeer.token },
    oauth: {
      issuer: oauth.issuer,
      tokenEndpoint: oauth.tokenEndpoint,
      revocationEndpoint: oauth.revocationEndpoint,
      introspectionEndpoint: oauth.introspectionEndpoint,
      admin: oauth.admin,
      apps: oauth.apps,
    },
  };
}

/** The env vars the connectors read their secrets from (set in this process, and given to the e2e app server). */
export function peerSecretsEnv(info: PeersInfo): Record<string, string> {
  return { [SCIM_SECRET_ENV]: info.scim.token, [OAUTH_SECRET_ENV]: info.oauth.admin.clientSecret };
}

/**
 * Two real (not simulated) systems pointing at the peers: a "Connected App" provisioned over SCIM, with a
 * privileged admin group, and a "Partner API" whose tokens are revoked over RFC 7009.
 */
export async function createPeerSystems(
  db: Db,
  info: PeersInfo,
  opts: { timeoutMs?: number; ownerId?: number | null; suffix?: string } = {},
) {
  Object.assign(process.env, peerSecretsEnv(info));
  // Test files share one PostgreSQL database: each connects systems of its own, so no two files wait on one row.
  const tag = opts.suffix ? `-${opts.suffix}` : "";
  const label = opts.suffix ? ` ${opts.suffix}` : "";
  const owner = opts.ownerId ?? null;
  const scimConfig = JSON.stringify({
    baseUrl: info.scim.url,
    secretEnv: SCIM_SECRET_ENV,
    timeoutMs: opts.timeoutMs ?? 10_000,
  });
  const app = await one(
    db,
    sql`
    INSERT INTO systems (slug, name, category, criticality, connector_kind, connector_config, connector_simulated, deprovision_mode, max_concurrency, owner_id, description)
    VALUES (${`connected-app${tag}`}, ${`Connected App${label} (SCIM peer)`}, 'saas', 'high', 'scim', ${scimConfig}::jsonb, false, 'deactivate', 8, ${owner}, 'Real SCIM 2.0 peer started by the test run')
    RETURNING id`,
    { id: col.num },
  );
  const ent = await one(
    db,
    sql`INSERT INTO entitlements (system_id, name, privileged) VALUES (${app.id}, ${PEER_ADMIN_GROUP}, true) RETURNING id`,
    { id: col.num },
  );
  const oauthConfig = JSON.stringify({
    clientId: info.oauth.admin.clientId,
    revocationEndpoint: info.oauth.revocationEndpoint,
    introspectionEndpoint: info.oauth.introspectionEndpoint,
    tokenEndpoint: info.oauth.tokenEndpoint,
    secretEnv: OAUTH_SECRET_ENV,
    timeoutMs: opts.timeoutMs ?? 10_000,
  });
  const api = await one(
    db,
    sql`
    INSERT INTO systems (slug, name, category, criticality, connector_kind, connector_config, connector_simulated, max_concurrency, owner_id, description)
    VALUES (${`partner-api${tag}`}, ${`Partner API${label} (OAuth peer)`}, 'api_gateway', 'high', 'oauth', ${oauthConfig}::jsonb, false, 8, ${owner}, 'Real OAuth 2.0 authorization server started by the test run')
    RETURNING id`,
    { id: col.num },
  );
  return { appSystemId: Number(app.id), apiSystemId: Number(api.id), adminEntitlementId: Number(ent.id) };
}

export type Enrolled = {
  identityId: number;
  email: string;
  employeeNumber: string | null;
  accountId: number;
  scimUserId: string;
  tokens: { credentialId: number; token: string }[];
};

/**
 * Gives people an account (admin group member) on the Connected App — created on the SCIM server through
 * its own API — and tokens issued by the OAuth server, registered in Lockstep as credentials they hold,
 * with sealed revocation handles.
 */
export async function enrolInPeers(
  db: Db,
  info: PeersInfo,
  systems: Awaited<ReturnType<typeof createPeerSystems>>,
  identityIds: number[],
): Promise<Enrolled[]> {
  const out: Enrolled[] = [];
  for (const identityId of identityIds) {
    const person = await one(db, sql`SELECT email, employee_number FROM identities WHERE id = ${identityId}`, {
      email: col.text,
      employee_number: col.textOrNull,
    });
    const externalId = `connected-app:${identityId}`;
    const account = await one(
      db,
      sql`
      INSERT INTO accounts (system_id, identity_id, username, external_id, status) VALUES (${systems.appSystemId}, ${identityId}, ${person.email}, ${externalId}, 'active') RETURNING id`,
      { id: col.num },
    );
    await db.execute(
      sql`INSERT INTO grants (account_id, entitlement_id, source) VALUES (${account.id}, ${systems.adminEntitlementId}, 'request')`,
    );
    const created = await scim<{ id: string }>(info, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: person.email,
      externalId,
      active: true,
      displayName: person.email,
    });
    if (created.status !== 201) throw new Error(`SCIM peer refused the user (${created.status})`);
    const tokens: Enrolled["tokens"] = [];
    for (const [i, client] of info.oauth.apps.entries()) {
      const token = await issueToken(info, client);
      const cred = await one(
        db,
        sql`
        INSERT INTO credentials (kind, name, issuer_system_id, holder_id, owner_id, external_ref, scopes, status, created_at)
        VALUES ('oauth_client', ${`${client.clientId} token`}, ${systems.apiSystemId}, ${identityId}, ${identityId}, ${`peer-token-${identityId}-${i}`}, '{api:read}', 'active', now())
        RETURNING id`,
        { id: col.num },
      );
      await storeCredentialHandle(db, Number(cred.id), token, "access_token");
      tokens.push({ credentialId: Number(cred.id), token });
    }
    out.push({
      identityId,
      email: person.email,
      employeeNumber: person.employee_number,
      accountId: Number(account.id),
      scimUserId: created.body.id,
      tokens,
    });
  }
  const group = await scim<{ id: string }>(info, "POST", "/Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: PEER_ADMIN_GROUP,
    members: out.map((e) => ({ value: e.scimUserId })),
  });
  if (group.status !== 201) throw new Error(`SCIM peer refused the group (${group.status})`);
  return out;
}

/** Vitest shortcut: both peer systems and one enrolled person. */
export async function connectPeers(
  db: Db,
  opts: {
    identityId: number;
    scim: ScimPeer;
    oauth: OAuthPeer;
    timeoutMs?: number;
    ownerId?: number | null;
    suffix?: string;
  },
) {
  const info = peersInfo(opts.scim, opts.oauth);
  const systems = await createPeerSystems(db, info, opts);
  const [e] = await enrolInPeers(db, info, systems, [opts.identityId]);
  return { ...systems, scimUser: opts.scim.users.get(e.scimUserId)!, tokens: e.tokens, accountId: e.accountId };
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
