import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { storeHandle } from "@/lib/connectors/handles";
import { type PeersInfo, registerClient, scim } from "@/lib/testing/peers/info";
import { rowsOf } from "@/lib/testing/sql";
import { runScript } from "@/scripts/run-script";

/**
 * e2e: what the review journey acts on, at the real peers. One of Maya Patel's reports gets an admin membership of
 * the SCIM Connected App (the access a campaign revokes), and Maya answers for an OAuth client registered at the
 * OAuth server (RFC 7591) — a service account's "Partner sync" client with two scopes, which a campaign reduces
 * through RFC 7592. Writes <state>/review-peers.json.
 */
export type ReviewPeersFile = {
  report: { identityId: number; name: string; scimUserId: string };
  client: { clientId: string; clientSecret: string; credentialName: string };
  ownItem: { what: string };
};

runScript(async () => {
  const stateDir = process.env.LOCKSTEP_E2E_STATE_DIR!;
  const peers = JSON.parse(readFileSync(path.join(stateDir, "peers.json"), "utf8")) as PeersInfo;
  const handle = await openDatabase();
  const one = async (q: ReturnType<typeof sql>) => (await rowsOf(handle.db, q))[0];
  try {
    const maya = await one(sql`SELECT id, department_id FROM identities WHERE display_name = 'Maya Patel'`);
    const report = await one(sql`
      SELECT i.id, i.display_name AS name, i.email FROM identities i
       WHERE i.manager_id = ${maya.id} AND i.kind = 'human' AND i.status = 'active' AND i.email IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
         AND NOT EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = i.id AND c.status <> 'closed')
       ORDER BY i.id LIMIT 1`);
    const app =
      await one(sql`SELECT s.id, e.id AS entitlement_id FROM systems s JOIN entitlements e ON e.system_id = s.id
                               WHERE s.slug = 'connected-app' AND e.name = 'App Admins'`);
    const api = await one(sql`SELECT id FROM systems WHERE slug = 'partner-api'`);

    // The report's admin membership, at the SCIM server and in Lockstep's inventory.
    const user = await scim<{ id: string }>(peers, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: report.email,
      externalId: `connected-app:${report.id}`,
      active: true,
    });
    if (user.status !== 201) throw new Error(`e2e: the SCIM peer refused the user (${user.status})`);
    const groups = await scim<{ Resources: { id: string }[] }>(
      peers,
      "GET",
      `/Groups?filter=${encodeURIComponent('displayName eq "App Admins"')}`,
    );
    const group = groups.body.Resources[0];
    await scim(peers, "PATCH", `/Groups/${group.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "add", path: "members", value: [{ value: user.body.id }] }],
    });
    const account = await one(sql`
      INSERT INTO accounts (system_id, identity_id, username, external_id, status, last_login_at)
      VALUES (${app.id}, ${report.id}, ${report.email}, ${`connected-app:${report.id}`}, 'active', now() - interval '200 days')
      RETURNING id`);
    await handle.db.execute(sql`
      INSERT INTO grants (account_id, entitlement_id, source, granted_at, last_used_at)
      VALUES (${account.id}, ${app.entitlement_id}, 'request', now() - interval '400 days', now() - interval '200 days')`);

    // Maya's OAuth client, registered at the authorization server, its registration sealed in Lockstep.
    const client = await registerClient(peers, "api:read api:write");
    const bot = await one(sql`
      INSERT INTO identities (kind, display_name, status, owner_id, department_id)
      VALUES ('service_account', 'Partner sync bot', 'active', ${maya.id}, ${maya.department_id}) RETURNING id`);
    const credentialName = "partner-sync client";
    const cred = await one(sql`
      INSERT INTO credentials (kind, name, issuer_system_id, holder_id, owner_id, external_ref, scopes, status, created_at, last_used_at)
      VALUES ('oauth_client', ${credentialName}, ${api.id}, ${bot.id}, ${maya.id}, ${client.clientId}, '{api:read,api:write}',
              'active', now() - interval '300 days', now() - interval '2 days')
      RETURNING id`);
    await handle.db.execute(sql`
      INSERT INTO credential_scope_usage (credential_id, scope, last_used_at)
      VALUES (${cred.id}, 'api:read', now() - interval '2 days'), (${cred.id}, 'api:write', now() - interval '200 days')`);
    await storeHandle(handle.db, Number(cred.id), {
      kind: "registration",
      registrationClientUri: client.registrationClientUri,
      registrationAccessToken: client.registrationAccessToken,
    });

    // An item about Maya's own access, wrongly in her own inbox: the product must refuse her decision.
    const own = await one(sql`
      SELECT g.id AS grant_id, e.name || ' on ' || s.name AS what, s.id AS system_id FROM grants g
        JOIN accounts a ON a.id = g.account_id AND a.identity_id = ${maya.id} JOIN entitlements e ON e.id = g.entitlement_id
        JOIN systems s ON s.id = a.system_id WHERE g.revoked_at IS NULL ORDER BY g.id LIMIT 1`);
    const campaign = await one(
      sql`SELECT id FROM review_campaigns WHERE status = 'active' AND kind = 'access' ORDER BY id LIMIT 1`,
    );
    await handle.db.execute(sql`
      INSERT INTO review_items (campaign_id, reviewer_id, reviewer_relation, subject_id, grant_id, recommendation,
                                recommendation_reason, snapshot, assigned_at)
      VALUES (${campaign.id}, ${maya.id}, 'fallback', ${maya.id}, ${own.grant_id}, 'keep', 'Used in the last 90 days',
              jsonb_build_object('entitlement', split_part(${own.what}::text, ' on ', 1), 'system', split_part(${own.what}::text, ' on ', 2),
                                 'systemId', ${own.system_id}::int), now())
      ON CONFLICT (campaign_id, grant_id) WHERE grant_id IS NOT NULL DO UPDATE SET reviewer_id = excluded.reviewer_id, reviewer_relation = 'fallback',
                                                        decision = NULL, decided_by_id = NULL, decided_at = NULL`);

    const file: ReviewPeersFile = {
      report: { identityId: Number(report.id), name: String(report.name), scimUserId: user.body.id },
      client: { clientId: client.clientId, clientSecret: client.clientSecret, credentialName },
      ownItem: { what: String(own.what).split(" on ")[0] },
    };
    writeFileSync(path.join(stateDir, "review-peers.json"), JSON.stringify(file, null, 2), { mode: 0o600 });
    console.log(`e2e review peers connected: ${file.report.name}, ${credentialName}`);
  } finally {
    await handle.close();
  }
});
