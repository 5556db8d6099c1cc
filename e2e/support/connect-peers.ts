import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { col } from "@/db/rows";
import { createPeerSystems, enrolInPeers } from "@/lib/testing/leaver-fixtures";
import type { PeersInfo } from "@/lib/testing/peers/info";
import { rowsOf } from "@/lib/testing/sql";
import { runScript } from "@/scripts/run-script";

/**
 * e2e: connects the real peers (lib/testing/peers/serve.ts) to the seeded organisation before the app
 * starts: a SCIM "Connected App" and an OAuth "Partner API", and three Customer Support people who hold an
 * admin account there and two tokens each. Writes them to <state>/leaver-peers.json for the journey.
 */
export type LeaverPeersFile = {
  peers: PeersInfo;
  people: {
    identityId: number;
    name: string;
    email: string;
    employeeNumber: string;
    scimUserId: string;
    tokens: string[];
  }[];
};

runScript(async () => {
  const stateDir = process.env.LOCKSTEP_E2E_STATE_DIR!;
  const peers = JSON.parse(readFileSync(path.join(stateDir, "peers.json"), "utf8")) as PeersInfo;
  const handle = await openDatabase();
  try {
    const people = await rowsOf(
      handle.db,
      sql`
      SELECT i.id, i.display_name AS name FROM identities i JOIN departments d ON d.id = i.department_id
       WHERE d.name = 'Customer Support' AND i.kind = 'human' AND i.status = 'active' AND i.employee_number IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
         AND NOT EXISTS (SELECT 1 FROM identities n WHERE n.owner_id = i.id)
       ORDER BY i.id LIMIT 3`,
      { id: col.int, name: col.text },
    );
    if (people.length < 3)
      throw new Error("e2e: the demo seed has fewer than three Customer Support people to lay off");
    const result = await handle.db.transaction(async (tx) => {
      const systems = await createPeerSystems(tx as never, peers, { timeoutMs: 3000 });
      return enrolInPeers(
        tx as never,
        peers,
        systems,
        people.map((p) => Number(p.id)),
      );
    });
    const file: LeaverPeersFile = {
      peers,
      people: result.map((e) => ({
        identityId: e.identityId,
        name: people.find((p) => Number(p.id) === e.identityId)!.name,
        email: e.email,
        employeeNumber: e.employeeNumber!,
        scimUserId: e.scimUserId,
        tokens: e.tokens.map((t) => t.token),
      })),
    };
    writeFileSync(path.join(stateDir, "leaver-peers.json"), JSON.stringify(file, null, 2), { mode: 0o600 });
    console.log(`e2e leaver peers connected: ${file.people.map((p) => p.name).join(", ")}`);
  } finally {
    await handle.close();
  }
});
