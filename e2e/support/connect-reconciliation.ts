import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { col } from "@/db/rows";
import { rowsOf } from "@/lib/testing/sql";
import { runScript } from "@/scripts/run-script";

/**
 * e2e: the reconciliation journey's system — "Recon App", a real SCIM peer of its own (lib/testing/peers/
 * serve-scim.ts) — and what it holds: an active person's account, the account of a seeded leaver whose case is past
 * its effective time (still active there), and an account nobody in the organisation matches. Writes
 * <state>/recon-peers.json.
 */
export type ReconPeersFile = { systemId: number; leaverName: string; stranger: string };
export const RECON_SECRET_ENV = "LOCKSTEP_TEST_RECON_SCIM_TOKEN";

runScript(async () => {
  const stateDir = process.env.LOCKSTEP_E2E_STATE_DIR!;
  const peer = JSON.parse(readFileSync(path.join(stateDir, "recon-peer.json"), "utf8")) as {
    url: string;
    token: string;
  };
  const handle = await openDatabase();
  try {
    const [active] = await rowsOf(
      handle.db,
      sql`SELECT email FROM identities WHERE kind = 'human' AND status = 'active' AND email IS NOT NULL ORDER BY id LIMIT 1`,
      { email: col.text },
    );
    const [leaver] = await rowsOf(
      handle.db,
      sql`
      SELECT i.email, i.display_name AS name FROM identities i JOIN leaver_cases c ON c.identity_id = i.id
       WHERE i.email IS NOT NULL AND c.cancelled_at IS NULL AND c.status <> 'closed' AND c.effective_at < now() - interval '1 day'
       ORDER BY c.id LIMIT 1`,
      { email: col.text, name: col.text },
    );
    if (!active || !leaver) throw new Error("e2e: the demo seed has no active person or no leaver past effective time");
    const [system] = await rowsOf(
      handle.db,
      sql`
      INSERT INTO systems (slug, name, category, criticality, connector_kind, connector_config, connector_simulated, description)
      VALUES ('recon-app', 'Recon App (SCIM peer)', 'saas', 'medium', 'scim',
              ${JSON.stringify({ baseUrl: peer.url, secretEnv: RECON_SECRET_ENV, timeoutMs: 5000 })}::jsonb, false,
              'Real SCIM 2.0 peer the reconciliation journey reads')
      RETURNING id`,
      { id: col.int },
    );
    const stranger = "stranger.e2e@elsewhere.example";
    for (const userName of [active.email, leaver.email, stranger]) {
      const res = await fetch(`${peer.url}/Users`, {
        method: "POST",
        headers: { authorization: `Bearer ${peer.token}`, "content-type": "application/scim+json" },
        body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true }),
      });
      if (res.status !== 201) throw new Error(`e2e: the recon SCIM peer refused ${userName} (${res.status})`);
    }
    const file: ReconPeersFile = { systemId: system.id, leaverName: leaver.name, stranger };
    writeFileSync(path.join(stateDir, "recon-peers.json"), JSON.stringify(file, null, 2), { mode: 0o600 });
    console.log(`e2e reconciliation peer connected: Recon App #${system.id} (leaver ${leaver.name})`);
  } finally {
    await handle.close();
  }
});
