import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "@/db/client";
import { connectLookupApi } from "@/lib/testing/api-scope-fixtures";
import type { PeersInfo } from "@/lib/testing/peers/info";
import { runScript } from "@/scripts/run-script";

/**
 * e2e: connects the seeded Customer Lookup API to the run's real OAuth server (lib/testing/peers/serve.ts), so
 * the API-scope journey revokes the leaver's orphaned lookup token there and asks the server whether it still
 * lives. Writes the tokens to <state>/api-scope-tokens.json for the journey (the app only holds them sealed).
 */
export type ApiScopeTokensFile = { peers: PeersInfo; tokens: { credentialId: number; name: string; token: string }[] };

runScript(async () => {
  const stateDir = process.env.LOCKSTEP_E2E_STATE_DIR!;
  const peers = JSON.parse(readFileSync(path.join(stateDir, "peers.json"), "utf8")) as PeersInfo;
  const handle = await openDatabase();
  try {
    const tokens = await handle.db.transaction((tx) => connectLookupApi(tx as never, peers.oauth));
    const file: ApiScopeTokensFile = { peers, tokens };
    writeFileSync(path.join(stateDir, "api-scope-tokens.json"), JSON.stringify(file, null, 2), { mode: 0o600 });
    console.log(`e2e Customer Lookup API connected to the OAuth peer: ${tokens.length} tokens`);
  } finally {
    await handle.close();
  }
});
