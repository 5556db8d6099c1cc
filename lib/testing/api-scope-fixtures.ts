import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { storeCredentialHandle } from "@/lib/connectors/handles";
import { OAUTH_SECRET_ENV } from "./leaver-fixtures";
import { issueToken, type PeersInfo } from "./peers/info";
import { rowsOf } from "./sql";

/**
 * Points the seeded Customer Lookup API at the real OAuth authorization server (oidc-provider) instead of its
 * simulated stand-in, and gives its live credentials real tokens issued there, with sealed revocation handles —
 * as an administrator does when connecting the issuer. Every live credential gets one, so any revocation on
 * this system (this pillar's or a leaver task's) reaches the real server. The connector authenticates as the
 * peer's admin client, whose secret the app reads from the same env var as the leaver peers'.
 */
export async function connectLookupApi(
  db: Db,
  oauth: PeersInfo["oauth"],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
) {
  (opts.env ?? process.env)[OAUTH_SECRET_ENV] = oauth.admin.clientSecret;
  const config = {
    clientId: oauth.admin.clientId,
    tokenEndpoint: oauth.tokenEndpoint,
    revocationEndpoint: oauth.revocationEndpoint,
    introspectionEndpoint: oauth.introspectionEndpoint,
    secretEnv: OAUTH_SECRET_ENV,
    timeoutMs: opts.timeoutMs ?? 3000,
  };
  await db.execute(sql`UPDATE systems SET connector_kind = 'oauth', connector_simulated = false, connector_config = ${JSON.stringify(config)}::jsonb
                        WHERE slug = 'customer-lookup-api'`);
  const creds = await rowsOf(
    db,
    sql`
    SELECT c.id, c.name FROM credentials c JOIN systems s ON s.id = c.issuer_system_id
     WHERE s.slug = 'customer-lookup-api' AND c.status = 'active' ORDER BY c.id`,
    { id: col.int, name: col.text },
  );
  const tokens: { credentialId: number; name: string; token: string }[] = [];
  for (const [i, c] of creds.entries()) {
    const token = await issueToken({ oauth } as PeersInfo, oauth.apps[i % oauth.apps.length]);
    await storeCredentialHandle(db, Number(c.id), token, "access_token");
    tokens.push({ credentialId: Number(c.id), name: c.name, token });
  }
  return tokens;
}

/** The token of one named credential from connectLookupApi's result. */
export function tokenOf(tokens: Awaited<ReturnType<typeof connectLookupApi>>, name: string) {
  const t = tokens.find((x) => x.name === name);
  if (!t) throw new Error(`no live Customer Lookup API credential named ${name}`);
  return t;
}
