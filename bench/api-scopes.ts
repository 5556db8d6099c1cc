import { sql } from "drizzle-orm";
import type { Db, DbHandle } from "@/db/client";
import { col } from "@/db/rows";
import { loadPolicy } from "@/lib/api-scopes/policy";
import { findingCounts, listInventory } from "@/lib/api-scopes/queries";
import { inventoryInput } from "@/lib/api-scopes/schemas";
import { type Actor, userActor } from "@/lib/authz";
import { makeCtx } from "@/lib/context";
import { rowsOf } from "@/lib/testing/sql";
import { type BenchSuite, type Measurement, timeIt } from "./types";

/**
 * API-scope inventory at the large seed (issue 5): the first page sorted by blast radius and the findings
 * counts, each under 100 ms at 200k credentials — the same service calls the inventory page makes (policy
 * loaded per request, as the page does). Also reported: a filtered first page, a manager's scoped page and
 * counts, and what one credential's rollup refresh costs inside a write.
 */

async function actor(db: Db, role: "analyst" | "manager"): Promise<Actor> {
  // The manager with the largest team among the seeded console managers, so the scoped figure is not a toy.
  const [a] = await rowsOf(
    db,
    sql`
    SELECT i.id, i.display_name AS name FROM identities i JOIN console_roles r ON r.identity_id = i.id AND r.role = ${role}
     WHERE i.status = 'active' ORDER BY (SELECT count(*) FROM identities x WHERE x.manager_id = i.id) DESC, i.id LIMIT 1`,
    { id: col.num, name: col.text },
  );
  if (!a) throw new Error(`no ${role} in this database: seed it with npm run seed -- --scale large`);
  return userActor(Number(a.id), a.name, [role]);
}

async function run(handle: DbHandle, log: (line: string) => void): Promise<Measurement[]> {
  const db = handle.db;
  const [{ n, live }] = await rowsOf(
    db,
    sql`
    SELECT count(*)::int AS n, (count(*) FILTER (WHERE status = 'active'))::int AS live FROM credentials`,
    { n: col.num, live: col.num },
  );
  log(`${n.toLocaleString("en-US")} credentials (${live.toLocaleString("en-US")} live)`);
  const [{ missing }] = await rowsOf(
    db,
    sql`
    SELECT count(*)::int AS missing FROM credentials c WHERE NOT EXISTS (SELECT 1 FROM credential_risk r WHERE r.credential_id = c.id)`,
    { missing: col.num },
  );
  if (missing > 0)
    throw new Error(
      `${missing} credentials have no credential_risk row: reseed with npm run seed -- --scale large --reset`,
    );
  const analyst = makeCtx(await actor(db, "analyst"), db);
  const manager = makeCtx(await actor(db, "manager"), db);
  const [maya] = await rowsOf(
    db,
    sql`SELECT id FROM identities WHERE display_name = 'Maya Patel' ORDER BY id LIMIT 1`,
    { id: col.num },
  );
  const teamLead = makeCtx(userActor(Number(maya.id), "Maya Patel", ["manager"]), db);

  const firstPage = () => loadPolicy(db).then((p) => listInventory(analyst, inventoryInput.parse({}), p));
  const counts = () => loadPolicy(db).then((p) => findingCounts(analyst, {}, p));
  const page = await firstPage();
  log(
    `first page: ${page.items.length} rows, blast radius ${page.items[0]?.blastRadius} → ${page.items.at(-1)?.blastRadius}`,
  );
  log(`findings: ${JSON.stringify(await counts())}`);
  const a = await timeIt(firstPage);
  const b = await timeIt(counts);
  const c = await timeIt(() =>
    loadPolicy(db).then((p) =>
      listInventory(analyst, inventoryInput.parse({ finding: "orphaned", bulk: "bulk_pii" }), p),
    ),
  );
  const d = await timeIt(() => listInventory(analyst, inventoryInput.parse({ after: page.next! })));
  const e = await timeIt(() => listInventory(manager, inventoryInput.parse({})));
  const f = await timeIt(() => findingCounts(manager, {}));
  const h = await timeIt(() => listInventory(teamLead, inventoryInput.parse({})));
  const i = await timeIt(() => findingCounts(teamLead, {}));

  // One credential's rollup refresh, as a write pays it (trigger on UPDATE credentials), rolled back.
  const [one] = await rowsOf(
    db,
    sql`SELECT credential_id AS id FROM credential_risk WHERE live ORDER BY blast_radius DESC LIMIT 1`,
    { id: col.num },
  );
  const g = await timeIt(() =>
    db
      .transaction(async (tx) => {
        await tx.execute(sql`UPDATE credentials SET expires_at = now() + interval '30 days' WHERE id = ${one.id}`);
        tx.rollback();
      })
      .catch(() => undefined),
  );
  const ms = (x: { median: number; p95: number }) => `median ${x.median.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms`;
  return [
    {
      name: "inventory first page by blast radius (analyst)",
      value: a.p95,
      unit: "ms",
      target: { max: 100 },
      note: ms(a),
    },
    { name: "findings counts, 7 rules (analyst)", value: b.p95, unit: "ms", target: { max: 100 }, note: ms(b) },
    { name: "inventory: orphaned + bulk PII, first page", value: c.p95, unit: "ms", note: ms(c) },
    { name: "inventory: second page (keyset)", value: d.p95, unit: "ms", note: ms(d) },
    { name: "inventory first page (team lead: Maya Patel)", value: h.p95, unit: "ms", note: ms(h) },
    { name: "findings counts (team lead: Maya Patel)", value: i.p95, unit: "ms", note: ms(i) },
    {
      name: "inventory first page (division head's team)",
      value: e.p95,
      unit: "ms",
      note: `${ms(e)}; sees over half the estate`,
    },
    { name: "findings counts (division head's team)", value: f.p95, unit: "ms", note: `${ms(f)}; counted row by row` },
    {
      name: "rollup refresh of one credential in a write",
      value: g.p95,
      unit: "ms",
      note: `${ms(g)}, UPDATE + trigger, rolled back`,
    },
  ];
}

export const apiScopesBench: BenchSuite = { name: "api-scopes", run };
