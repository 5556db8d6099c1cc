import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { makeCtx } from "@/lib/context";
import { asAnalyst } from "@/lib/testing/actors";
import { rollback, testDb } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { findingIdsSql } from "./findings-sql";
import { loadPolicy } from "./policy";
import { findingCounts } from "./queries";
import {
  blastRadius,
  type CredentialFacts,
  type DataClass,
  endpointWeight,
  FINDING_IDS,
  findingsOf,
  type Policy,
  reaches,
} from "./rules";

/**
 * The SQL rollup and the SQL findings against an independent computation in TypeScript (rules.ts), from the
 * raw tables, for every seeded credential — then the triggers keep agreeing after changes.
 */

async function independent(db: Db, policy: Policy) {
  const creds = await rowsOf(
    db,
    sql`
    SELECT c.id, c.status::text AS status, c.kind::text AS kind, c.scopes, c.issuer_system_id AS system, c.created_at AS created, c.last_used_at AS used,
           c.last_rotated_at AS rotated, c.expires_at AS expires, o.status::text AS owner_status,
           EXISTS (SELECT 1 FROM leaver_cases lc WHERE lc.identity_id = c.holder_id AND lc.status <> 'closed') AS open_case
      FROM credentials c LEFT JOIN identities o ON o.id = c.owner_id ORDER BY c.id`,
    {
      id: col.int,
      status: col.text,
      kind: col.text,
      scopes: col.textArray,
      system: col.int,
      created: col.text,
      used: col.textOrNull,
      rotated: col.textOrNull,
      expires: col.textOrNull,
      owner_status: col.textOrNull,
      open_case: col.bool,
    },
  );
  const endpoints = await rowsOf(
    db,
    sql`
    SELECT system_id AS system, method::text AS method, path, scope_sets AS sets, bulk, max_records_per_call AS max, data_classes::text[] AS classes FROM api_endpoints`,
    {
      system: col.num,
      method: col.text,
      path: col.text,
      sets: col.json(z.array(z.array(z.string()))),
      bulk: col.bool,
      max: col.numOrNull,
      classes: col.textArray,
    },
  );
  const usage = await rowsOf(
    db,
    sql`SELECT credential_id AS id, scope, last_used_at AS at FROM credential_scope_usage`,
    { id: col.num, scope: col.text, at: col.text },
  );
  const d = (v: string | null) => (v ? new Date(v) : null);
  return creds.map((c) => {
    const reached = endpoints
      .filter((e) => Number(e.system) === Number(c.system) && reaches(c.scopes, e.sets))
      .map((e) => ({
        method: e.method,
        path: e.path,
        bulk: e.bulk,
        maxRecordsPerCall: e.max === null ? null : Number(e.max),
        dataClasses: e.classes as DataClass[],
      }));
    const facts: CredentialFacts = {
      status: c.status as CredentialFacts["status"],
      kind: c.kind as CredentialFacts["kind"],
      scopes: c.scopes,
      createdAt: d(c.created)!,
      lastUsedAt: d(c.used),
      lastRotatedAt: d(c.rotated),
      expiresAt: d(c.expires),
      ownerStatus: c.owner_status as CredentialFacts["ownerStatus"],
      holderHasOpenCase: c.open_case,
      reached,
      scopeUsage: usage
        .filter((u) => Number(u.id) === Number(c.id))
        .map((u) => ({ scope: u.scope, lastUsedAt: new Date(u.at) })),
    };
    return {
      id: Number(c.id),
      blast: blastRadius(reached),
      findings: findingsOf(facts, policy, TEST_NOW)
        .map((f) => f.id)
        .sort(),
    };
  });
}

async function fromSql(db: Db, policy: Policy) {
  const rows = await rowsOf(
    db,
    sql`
    SELECT cr.credential_id AS id, cr.blast_radius AS blast, ${findingIdsSql(policy, TEST_NOW)} AS findings FROM credential_risk cr ORDER BY cr.credential_id`,
    { id: col.num, blast: col.num, findings: col.textArray },
  );
  return rows.map((r) => ({ id: Number(r.id), blast: Number(r.blast), findings: [...r.findings].sort() }));
}

let db: Db;
let policy: Policy;
beforeAll(async () => {
  db = await testDb();
  policy = await loadPolicy(db);
});

describe("credential_risk rollup and SQL findings", () => {
  it("match the TypeScript rules for every seeded credential", async () => {
    const [expected, actual] = [await independent(db, policy), await fromSql(db, policy)];
    expect(actual.length).toBeGreaterThan(400);
    expect(actual).toEqual(expected);
    // The seed exercises every rule.
    for (const id of FINDING_IDS) expect(expected.filter((c) => c.findings.includes(id)).length, id).toBeGreaterThan(0);
  });

  it("counts each finding exactly as often as the independent computation, and as the dashboard does", async () => {
    const expected = await independent(db, policy);
    const counts = await findingCounts(await asAnalyst(db), {}, policy);
    for (const id of FINDING_IDS) expect(counts[id], id).toBe(expected.filter((c) => c.findings.includes(id)).length);
    const [dash] = await rowsOf(
      db,
      sql`
      SELECT (count(*) FILTER (WHERE o.id IS NULL OR o.status <> 'active'))::int AS orphaned, count(*)::int AS live,
             (count(*) FILTER (WHERE (c.last_used_at IS NULL OR c.last_used_at < ${TEST_NOW.toISOString()}::timestamptz - interval '90 days')
                 AND EXISTS (SELECT 1 FROM api_endpoints e WHERE e.system_id = c.issuer_system_id AND e.bulk AND api_endpoint_reached(e.scope_sets, c.scopes))))::int AS stale_bulk
        FROM credentials c LEFT JOIN identities o ON o.id = c.owner_id WHERE c.status = 'active'`,
      { orphaned: col.num, stale_bulk: col.num, live: col.num },
    );
    expect(counts.orphaned).toBe(dash.orphaned);
    expect(counts.live).toBe(dash.live);
    // Never-used credentials count from creation here, so stale_bulk ≤ the dashboard's "never used = stale" reading.
    expect(counts.stale_bulk).toBeLessThanOrEqual(dash.stale_bulk);
    expect(counts.stale_bulk).toBeGreaterThan(0);
  });

  it("counts from the counters exactly what a scan of the rollup counts, at any instant (day boundaries included)", async () => {
    const analyst = (await asAnalyst(db)).actor;
    const scan = async (now: Date) => {
      const ctx = makeCtx(analyst, db, now);
      // A filter that keeps every credential forces the scan path.
      const systems = await rowsOf(db, sql`SELECT DISTINCT issuer_system_id AS id FROM credential_risk WHERE live`, {
        id: col.num,
      });
      const parts = await Promise.all(systems.map((s) => findingCounts(ctx, { system: Number(s.id) }, policy)));
      return Object.fromEntries(
        Object.keys(parts[0]).map((k) => [k, parts.reduce((a, p) => a + p[k as keyof typeof p], 0)]),
      );
    };
    for (const now of [
      TEST_NOW,
      new Date("2026-11-02T23:59:59.999Z"),
      new Date("2027-03-01T00:00:00.000Z"),
      new Date("2025-12-31T12:34:56.000Z"),
    ]) {
      expect(await findingCounts(makeCtx(analyst, db, now), {}, policy), now.toISOString()).toEqual(await scan(now));
    }
  });

  it("follows changes in the same transaction: owner leaves, endpoint reclassified, scope used, case closed, credential revoked", async () => {
    await rollback(async (tx) => {
      const [c] = await rowsOf(
        tx,
        sql`
        SELECT c.id, c.owner_id AS owner FROM credentials c JOIN identities o ON o.id = c.owner_id
         WHERE c.status = 'active' AND o.status = 'active' AND o.kind = 'human' AND c.holder_id <> c.owner_id ORDER BY c.id LIMIT 1`,
        { id: col.num, owner: col.num },
      );
      await tx.execute(sql`UPDATE identities SET status = 'leaver' WHERE id = ${c.owner}`);
      await tx.execute(sql`UPDATE api_endpoints SET data_classes = '{credentials}', bulk = true, max_records_per_call = 500000
                            WHERE system_id = (SELECT issuer_system_id FROM credentials WHERE id = ${c.id})`);
      await tx.execute(sql`INSERT INTO credential_scope_usage (credential_id, scope, last_used_at)
                           SELECT id, scopes[1], ${TEST_NOW.toISOString()}::timestamptz FROM credentials WHERE id = ${c.id} AND cardinality(scopes) > 0
                           ON CONFLICT (credential_id, scope) DO UPDATE SET last_used_at = excluded.last_used_at`);
      await tx.execute(
        sql`UPDATE leaver_cases SET status = 'closed', closed_at = ${TEST_NOW.toISOString()}::timestamptz WHERE status <> 'closed' AND id = (SELECT min(id) FROM leaver_cases WHERE status <> 'closed')`,
      );
      await tx.execute(
        sql`UPDATE credentials SET status = 'revoked' WHERE id = (SELECT max(id) FROM credentials WHERE status = 'active')`,
      );
      await tx.execute(
        sql`DELETE FROM credentials WHERE id = (SELECT min(id) FROM credentials WHERE status = 'active' AND owner_id IS NULL)`,
      );
      const expected = await independent(tx, policy);
      expect(await fromSql(tx, policy)).toEqual(expected);
      const [row] = await rowsOf(tx, sql`SELECT orphaned FROM credential_risk WHERE credential_id = ${c.id}`, {
        orphaned: col.bool,
      });
      expect(row.orphaned).toBe(true);
      // The maintained counters followed every one of those changes.
      const counts = await findingCounts(makeCtx((await asAnalyst(tx)).actor, tx, TEST_NOW), {}, policy);
      for (const id of FINDING_IDS) expect(counts[id], id).toBe(expected.filter((x) => x.findings.includes(id)).length);
    });
  });

  it("reaches an endpoint only with every scope of one of its sets (AND within a requirement, OR between them)", async () => {
    await rollback(async (tx) => {
      const [e] = await rowsOf(
        tx,
        sql`
        SELECT e.id, e.scope, e.bulk, e.max_records_per_call AS max, e.data_classes::text[] AS classes, c.id AS credential
          FROM api_endpoints e JOIN credentials c ON c.issuer_system_id = e.system_id AND e.scope = ANY(c.scopes)
         ORDER BY e.bulk DESC, e.id, c.id LIMIT 1`,
        {
          id: col.num,
          scope: col.text,
          bulk: col.bool,
          max: col.numOrNull,
          classes: col.textArray,
          credential: col.num,
        },
      );
      const weight = endpointWeight({
        bulk: e.bulk,
        maxRecordsPerCall: e.max === null ? null : Number(e.max),
        dataClasses: e.classes as DataClass[],
      });
      const blast = async () =>
        Number(
          (
            await rowsOf(tx, sql`SELECT blast_radius AS b FROM credential_risk WHERE credential_id = ${e.credential}`, {
              b: col.num,
            })
          )[0].b,
        );
      const setTo = (sets: string[][]) =>
        tx.execute(sql`UPDATE api_endpoints SET scope_sets = ${JSON.stringify(sets)}::jsonb WHERE id = ${e.id}`);
      const before = await blast();
      // Holding one scope of a set that needs two is not enough…
      await setTo([[e.scope, "nobody:holds-this"]]);
      expect(await blast()).toBe(before - weight);
      // …but holding every scope of one alternative is.
      await setTo([[e.scope, "nobody:holds-this"], [e.scope]]);
      expect(await blast()).toBe(before);
      await setTo([[e.scope, "nobody:holds-this"], ["nobody:either"]]);
      expect(await blast()).toBe(before - weight);
      expect(await fromSql(tx, policy)).toEqual(await independent(tx, policy));
      expect(reaches([e.scope], [[e.scope, "nobody:holds-this"]])).toBe(false);
      // The first scope of the first set labels the endpoint: the two cannot disagree.
      await expect(
        tx.execute(sql`UPDATE api_endpoints SET scope_sets = '[["other"]]'::jsonb WHERE id = ${e.id}`),
      ).rejects.toThrow();
    });
  });
});
