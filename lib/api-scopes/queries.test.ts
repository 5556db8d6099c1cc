import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/api-scopes/export/route";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { runRoute } from "@/lib/edge/core";
import { Forbidden } from "@/lib/errors";
import { asAnalyst, asExecutive, asManager, identityIdByName } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";
import { listEndpoints, topBulkPiiEndpoints } from "./endpoints";
import { findingCounts, type InventoryRow, listInventory } from "./queries";
import { inventoryInput } from "./schemas";

let db: Db;
beforeAll(async () => {
  db = await testDb();
});

/** Every page of the inventory, following `next`. */
async function walk(
  ctx: Awaited<ReturnType<typeof asAnalyst>>,
  params: Record<string, string> = {},
): Promise<InventoryRow[]> {
  const out: InventoryRow[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listInventory(ctx, inventoryInput.parse({ ...params, limit: "40", after }));
    out.push(...page.items);
    if (!page.next) return out;
    after = page.next;
  }
}

describe("inventory", () => {
  it("walks every live credential once, most dangerous first, and Previous returns the page before", async () => {
    const ctx = await asAnalyst(db);
    const rows = await walk(ctx);
    const [{ n }] = await rowsOf(db, sql`SELECT count(*)::int AS n FROM credentials WHERE status = 'active'`, {
      n: col.num,
    });
    expect(rows).toHaveLength(Number(n));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      expect(
        a.blastRadius > b.blastRadius || (a.blastRadius === b.blastRadius && a.id > b.id),
        `${a.id} before ${b.id}`,
      ).toBe(true);
    }
    const first = await listInventory(ctx, inventoryInput.parse({ limit: "40" }));
    const second = await listInventory(ctx, inventoryInput.parse({ limit: "40", after: first.next! }));
    const back = await listInventory(ctx, inventoryInput.parse({ limit: "40", before: second.prev! }));
    expect(back.items.map((r) => r.id)).toEqual(first.items.map((r) => r.id));
  });

  it("gives a manager exactly the credentials their team holds or owns (independent team walk)", async () => {
    const mayaId = await identityIdByName(db, "Maya Patel");
    const people = await rowsOf(db, sql`SELECT id, manager_id AS manager FROM identities`, {
      id: col.num,
      manager: col.numOrNull,
    });
    const team = new Set([mayaId]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of people)
        if (p.manager !== null && team.has(Number(p.manager)) && !team.has(Number(p.id))) {
          team.add(Number(p.id));
          grew = true;
        }
    }
    const creds = await rowsOf(
      db,
      sql`
      SELECT id, holder_id AS holder, owner_id AS owner FROM credentials WHERE status = 'active'`,
      { id: col.num, holder: col.num, owner: col.numOrNull },
    );
    const expected = creds
      .filter((c) => team.has(Number(c.holder)) || (c.owner !== null && team.has(Number(c.owner))))
      .map((c) => Number(c.id))
      .sort((a, b) => a - b);
    const maya = await asManager(db, mayaId);
    const seen = (await walk(maya)).map((r) => r.id).sort((a, b) => a - b);
    expect(seen).toEqual(expected);
    expect(seen.length).toBeGreaterThan(5);
    const counts = await findingCounts(maya);
    expect(counts.live).toBe(expected.length);
    // Ravi's orphaned bulk-read tokens are among them.
    const orphaned = await walk(maya, { finding: "orphaned", bulk: "bulk_pii" });
    expect(orphaned.map((r) => r.name)).toEqual(
      expect.arrayContaining(["lookup-sync (client credentials)", "customer-export nightly key"]),
    );
    await expect(listInventory(await asExecutive(db), inventoryInput.parse({}))).rejects.toThrow(Forbidden);
  });

  it("filters by finding, issuer, kind, department (with sub-departments), bulk reach and reachable endpoint", async () => {
    const ctx = await asAnalyst(db);
    const counts = await findingCounts(ctx);
    for (const finding of ["orphaned", "stale", "bulk_pii", "leaver_holder"] as const) {
      const rows = await walk(ctx, { finding });
      expect(rows.length, finding).toBe(counts[finding]);
      expect(
        rows.every((r) => r.findings.includes(finding)),
        finding,
      ).toBe(true);
    }
    const [lookup] = await rowsOf(
      db,
      sql`
      SELECT e.id, e.system_id AS system FROM api_endpoints e JOIN systems s ON s.id = e.system_id WHERE s.slug = 'customer-lookup-api' AND e.path = '/users/lookup'`,
      { id: col.num, system: col.num },
    );
    const reaching = await walk(ctx, { endpoint: String(lookup.id) });
    const [{ n }] = await rowsOf(
      db,
      sql`
      SELECT count(*)::int AS n FROM credentials WHERE status = 'active' AND issuer_system_id = ${lookup.system} AND 'users:read' = ANY(scopes)`,
      { n: col.num },
    );
    expect(reaching.length).toBe(Number(n));
    const endpoints = await listEndpoints(ctx, Number(lookup.system));
    expect(endpoints.endpoints[0]).toMatchObject({ path: "/users/lookup", reach: Number(n) });
    expect((await topBulkPiiEndpoints(ctx)).some((e) => e.path === "/users/lookup" && e.orphanedReach > 0)).toBe(true);

    const sample = reaching[0];
    const bySystem = await walk(ctx, { system: String(lookup.system), kind: sample.kind });
    expect(bySystem.every((r) => r.systemId === Number(lookup.system) && r.kind === sample.kind)).toBe(true);
    const [eng] = await rowsOf(db, sql`SELECT id FROM departments WHERE name = 'Engineering'`, { id: col.num });
    const engRows = await walk(ctx, { department: String(eng.id) });
    expect(engRows.length).toBeGreaterThan(0);
    expect(engRows.every((r) => r.department !== null)).toBe(true);
    const ravi = await walk(ctx, { q: "ravi menon" });
    const [{ owned }] = await rowsOf(
      db,
      sql`
      SELECT count(*)::int AS owned FROM credentials c JOIN identities o ON o.id = c.owner_id WHERE c.status = 'active' AND o.display_name = 'Ravi Menon'`,
      { owned: col.num },
    );
    expect(ravi.length).toBe(Number(owned));
    expect(ravi.every((r) => r.owner === "Ravi Menon")).toBe(true);
    expect(await walk(ctx, { q: "100%_no_such_owner" })).toEqual([]);
    const none = await walk(ctx, { bulk: "none" });
    expect(none.every((r) => r.reachBulk === 0)).toBe(true);
    const revoked = await walk(ctx, { status: "revoked" });
    expect(revoked.length).toBeGreaterThan(0);
    expect(revoked.every((r) => r.status === "revoked" && r.findings.length === 0)).toBe(true);
  });

  it("exports the filtered inventory as CSV in UTC, a manager's file holding only their team's", async () => {
    const call = async (actor: Awaited<ReturnType<typeof asAnalyst>>["actor"], query: string) => {
      const res = await runRoute(
        exportRoute.spec,
        actor,
        new Request(`http://localhost/api/api-scopes/export?${query}`),
        { params: Promise.resolve({}) },
      );
      return { res, lines: (await res.text()).trim().split("\n") };
    };
    const { res, lines } = await call((await asAnalyst(db)).actor, "finding=orphaned");
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    expect(lines[0]).toBe(
      "id,name,kind,status,issuer_system,holder,holder_kind,owner,owner_status,department,scopes,created_at_utc,last_used_at_utc,expires_at_utc,last_rotated_at_utc,blast_radius,bulk_endpoints,max_records_per_call,data_classes,findings",
    );
    expect(lines.length - 1).toBe((await findingCounts(await asAnalyst(db))).orphaned);
    expect(lines[1]).toMatch(/,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,/);
    const maya = await asManager(db, await identityIdByName(db, "Maya Patel"));
    const mine = await call(maya.actor, "");
    expect(mine.lines.length - 1).toBe((await findingCounts(maya)).live);
  });
});
