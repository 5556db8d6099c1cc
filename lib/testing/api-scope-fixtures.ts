import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { storeCredentialHandle } from "@/lib/connectors/handles";
import type { OAuthPeer } from "./peers/oauth-server";
import { queryRows } from "./sql";

export const LOOKUP_OAUTH_SECRET_ENV = "LOCKSTEP_TEST_LOOKUP_OAUTH_SECRET";

/**
 * Points the seeded Customer Lookup API at a real OAuth authorization server (oidc-provider) instead of its
 * simulated stand-in, and gives the named credentials real tokens issued there, with sealed revocation
 * handles — as an administrator would when connecting the issuer. Returns each credential's token.
 */
export async function connectLookupApi(db: Db, oauth: OAuthPeer, credentialNames: string[], opts: { timeoutMs?: number } = {}) {
  process.env[LOOKUP_OAUTH_SECRET_ENV] = oauth.admin.clientSecret;
  const config = {
    clientId: oauth.admin.clientId, tokenEndpoint: oauth.tokenEndpoint, revocationEndpoint: oauth.revocationEndpoint,
    introspectionEndpoint: oauth.introspectionEndpoint, secretEnv: LOOKUP_OAUTH_SECRET_ENV, timeoutMs: opts.timeoutMs ?? 2000,
  };
  await db.execute(sql`UPDATE systems SET connector_kind = 'oauth', connector_simulated = false, connector_config = ${JSON.stringify(config)}::jsonb
                        WHERE slug = 'customer-lookup-api'`);
  const tokens: { credentialId: number; name: string; token: string }[] = [];
  for (const name of credentialNames) {
    const [c] = await queryRows<{ id: number }>(db, sql`
      SELECT c.id FROM credentials c JOIN systems s ON s.id = c.issuer_system_id WHERE s.slug = 'customer-lookup-api' AND c.name = ${name}`);
    if (!c) throw new Error(`no seeded Customer Lookup API credential named ${name}`);
    const token = await oauth.issueToken(oauth.apps[tokens.length % oauth.apps.length]);
    await storeCredentialHandle(db, Number(c.id), token, "access_token");
    tokens.push({ credentialId: Number(c.id), name, token });
  }
  return tokens;
}
