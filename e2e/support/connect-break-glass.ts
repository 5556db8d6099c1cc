import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { PEER_ADMIN_GROUP } from "@/lib/testing/leaver-fixtures";
import { type PeersInfo, scim } from "@/lib/testing/peers/info";
import { rowsOf } from "@/lib/testing/sql";
import { runScript } from "@/scripts/run-script";

/**
 * e2e: the break-glass journey's subject at the real SCIM peer. Ama Owusu (a console user, locked out in the journey
 * and recovered with an enrolment pass) gets a plain account on the SCIM Connected App — a user at the peer and an
 * account in Lockstep, without its privileged "App Admins" group, which her emergency access adds for a while.
 * Writes <state>/break-glass-peers.json.
 */
export type BreakGlassPeersFile = {
  subject: { identityId: number; name: string; scimUserId: string };
  system: string;
  entitlement: string;
  groupId: string;
};

const SUBJECT = "Ama Owusu";

runScript(async () => {
  const stateDir = process.env.LOCKSTEP_E2E_STATE_DIR!;
  const peers = JSON.parse(readFileSync(path.join(stateDir, "peers.json"), "utf8")) as PeersInfo;
  const handle = await openDatabase();
  const one = async (q: ReturnType<typeof sql>) => {
    const [row] = await rowsOf(handle.db, q);
    if (!row) throw new Error("e2e: connect-break-glass found nothing for a query it needs");
    return row;
  };
  try {
    const subject = await one(sql`
      SELECT i.id, i.email FROM identities i
       WHERE i.display_name = ${SUBJECT} AND i.status = 'active'
         AND EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)`);
    const app = await one(sql`SELECT id, name FROM systems WHERE slug = 'connected-app'`);
    const externalId = `connected-app:${subject.id}`;
    const user = await scim<{ id: string }>(peers, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: subject.email,
      externalId,
      active: true,
    });
    if (user.status !== 201) throw new Error(`e2e: the SCIM peer refused the user (${user.status})`);
    await handle.db.execute(sql`
      INSERT INTO accounts (system_id, identity_id, username, external_id, status, last_login_at)
      VALUES (${app.id}, ${subject.id}, ${subject.email}, ${externalId}, 'active', now() - interval '3 days')`);
    const groups = await scim<{ Resources: { id: string }[] }>(
      peers,
      "GET",
      `/Groups?filter=${encodeURIComponent(`displayName eq "${PEER_ADMIN_GROUP}"`)}`,
    );
    const group = groups.body.Resources[0];
    if (!group) throw new Error(`e2e: the SCIM peer has no "${PEER_ADMIN_GROUP}" group`);

    const file: BreakGlassPeersFile = {
      subject: { identityId: Number(subject.id), name: SUBJECT, scimUserId: user.body.id },
      system: String(app.name),
      entitlement: PEER_ADMIN_GROUP,
      groupId: group.id,
    };
    writeFileSync(path.join(stateDir, "break-glass-peers.json"), JSON.stringify(file, null, 2), { mode: 0o600 });
    console.log(`e2e break-glass peer connected: ${SUBJECT} on ${file.system}`);
  } finally {
    await handle.close();
  }
});
