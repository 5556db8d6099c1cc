import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { startScimPeer } from "./scim-server";

/**
 * A second SCIM 2.0 peer, alone in its process (scimmy is a singleton): the system the e2e reconciliation journey
 * reads, kept apart from the leaver and review journeys' Connected App so no journey sees another's users.
 * Writes `{ url, token }` to `<PEERS_STATE_DIR>/<PEERS_FILE>`, then prints `ready`.
 */
async function main() {
  const dir = process.env.PEERS_STATE_DIR;
  const file = process.env.PEERS_FILE ?? "scim-peer.json";
  if (!dir) throw new Error("PEERS_STATE_DIR is required");
  const scim = await startScimPeer({ token: randomBytes(18).toString("base64url"), fastLists: true });
  writeFileSync(path.join(dir, file), JSON.stringify({ url: scim.url, token: scim.token }, null, 2), { mode: 0o600 });
  console.log(`ready scim=${scim.url}`);
  const stop = async () => {
    await scim.stop();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
