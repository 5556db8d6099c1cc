import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { PeersInfo } from "./info";
import { startOAuthPeer } from "./oauth-server";
import { startScimPeer } from "./scim-server";

/**
 * The e2e run's real peers in one process: a SCIM 2.0 "connected app" and an OAuth authorization server.
 * Writes what the app and the tests need (URLs, the SCIM bearer token, the OAuth clients) to
 * `<PEERS_STATE_DIR>/peers.json`, then prints `ready`. Faults are switched with POST /_control/mode.
 */
async function main() {
  const dir = process.env.PEERS_STATE_DIR;
  if (!dir) throw new Error("PEERS_STATE_DIR is required");
  const [scim, oauth] = await Promise.all([
    startScimPeer({ token: randomBytes(18).toString("base64url") }),
    startOAuthPeer({ apps: 2 }),
  ]);
  const info: PeersInfo = {
    scim: { url: scim.url, control: scim.url.replace(/\/scim\/v2$/, "/_control/mode"), token: scim.token },
    oauth: {
      issuer: oauth.issuer,
      tokenEndpoint: oauth.tokenEndpoint,
      revocationEndpoint: oauth.revocationEndpoint,
      introspectionEndpoint: oauth.introspectionEndpoint,
      control: `${oauth.issuer}/_control/mode`,
      admin: oauth.admin,
      apps: oauth.apps,
      registrationEndpoint: oauth.registrationEndpoint,
      initialAccessToken: oauth.initialAccessToken,
    },
  };
  writeFileSync(path.join(dir, "peers.json"), JSON.stringify(info, null, 2), { mode: 0o600 });
  console.log(`ready scim=${scim.url} oauth=${oauth.issuer}`);
  const stop = async () => {
    await Promise.all([scim.stop(), oauth.stop()]);
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
