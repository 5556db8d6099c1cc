import { writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { col } from "@/db/rows";
import { grantConsoleRole } from "@/lib/console-roles/commands";
import { makeCtx } from "@/lib/context";
import { rowsOf } from "@/lib/testing/sql";
import { runScript } from "@/scripts/run-script";

/**
 * e2e: a second administrator for the administration journey (it enrols a passkey of its own, so Priya's stay as
 * the passkey journey leaves them). An IT person without a console role or reports, granted the role the way the
 * recovery CLI does (a named system actor, audited); as the second admin the demo sign-in lists them. Writes
 * <state>/admin-e2e.json.
 */
export type AdminE2eFile = { name: string; email: string };

runScript(async () => {
  const stateDir = process.env.LOCKSTEP_E2E_STATE_DIR!;
  const handle = await openDatabase();
  try {
    const [person] = await rowsOf(
      handle.db,
      sql`SELECT i.id, i.display_name AS name, i.email FROM identities i JOIN departments d ON d.id = i.department_id
           WHERE d.name = 'IT' AND i.kind = 'human' AND i.status = 'active' AND i.email IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
             AND NOT EXISTS (SELECT 1 FROM identities m WHERE m.manager_id = i.id)
           ORDER BY i.id DESC LIMIT 1`,
      { id: col.int, name: col.text, email: col.text },
    );
    if (!person) throw new Error("e2e: the demo seed has no IT person to make an administrator");
    const ctx = makeCtx({ kind: "system", id: null, name: "e2e setup", roles: [] }, handle.db);
    await grantConsoleRole(ctx, { identityId: person.id, role: "admin" });
    const file: AdminE2eFile = { name: person.name, email: person.email };
    writeFileSync(path.join(stateDir, "admin-e2e.json"), JSON.stringify(file));
    console.log(`second administrator: ${person.name}`);
  } finally {
    await handle.close();
  }
});
