import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbHandle } from "@/db/client";
import { col } from "@/db/rows";
import { intArray } from "@/db/sql";
import { runReconciliation } from "@/lib/reconciliation/run.internal";
import { startScimPeer } from "@/lib/testing/peers/scim-server";
import { rowsOf } from "@/lib/testing/sql";
import type { BenchSuite, Measurement } from "./types";

/**
 * Issue 11: a reconciliation of a 100k-account SCIM system in under 2 minutes. The real SCIM test peer (fast list
 * paging) holds one user per active person of the seed (userName = email; one in fifty unknown to Lockstep), in 50
 * groups (two memberships each). Lockstep already knows half of them as accounts on the system (by userName), plus
 * a thousand accounts the system no longer has. Everything happens in a transaction that is rolled back, so the seed
 * is left as it was. `BENCH_RECONCILE_USERS` sets the size (default 100,000) for a quick run at a small scale.
 */
const USERS = Number(process.env.BENCH_RECONCILE_USERS ?? 100_000);
const GROUPS = 50;
const SECRET_ENV = "LOCKSTEP_BENCH_SCIM_TOKEN";

class Rollback extends Error {}

async function prepare(db: Db, peerUrl: string, users: { id: number; email: string }[]) {
  const [system] = await rowsOf(
    db,
    sql`
    INSERT INTO systems (slug, name, category, criticality, connector_kind, connector_config, connector_simulated)
    VALUES ('bench-reconcile', 'Reconcile bench app (SCIM peer)', 'saas', 'medium', 'scim',
            ${JSON.stringify({ baseUrl: peerUrl, secretEnv: SECRET_ENV, timeoutMs: 60_000 })}::jsonb, false)
    RETURNING id`,
    { id: col.int },
  );
  // Half the people already have their account in Lockstep; a thousand more are gone from the system.
  const known = users.filter((_, i) => i % 2 === 0).map((u) => u.id);
  await db.execute(sql`
    INSERT INTO accounts (system_id, identity_id, username, status)
    SELECT ${system.id}, i.id, i.email, 'active' FROM identities i WHERE i.id = ANY(${intArray(known)})`);
  await db.execute(sql`
    INSERT INTO accounts (system_id, identity_id, username, status)
    SELECT ${system.id}, i.id, 'gone.' || i.id || '@bench.example', 'active'
      FROM identities i WHERE i.kind = 'human' ORDER BY i.id DESC LIMIT 1000`);
  const [run] = await rowsOf(
    db,
    sql`INSERT INTO reconciliation_runs (system_id, trigger, requested_by_label) VALUES (${system.id}, 'manual', 'bench')
        RETURNING id`,
    { id: col.int },
  );
  return { systemId: system.id, runId: run.id };
}

async function run(handle: DbHandle, log: (line: string) => void): Promise<Measurement[]> {
  const db = handle.db;
  const people = await rowsOf(
    db,
    sql`SELECT id, email FROM identities WHERE kind = 'human' AND email IS NOT NULL ORDER BY id LIMIT ${USERS}`,
    { id: col.int, email: col.text },
  );
  const peer = await startScimPeer({ fastLists: true });
  process.env[SECRET_ENV] = peer.token;
  try {
    const ids: string[] = [];
    for (const [i, p] of people.entries()) {
      const u =
        i % 50 === 49
          ? peer.addUser({ userName: `stranger.${i}@elsewhere.example`, externalId: `x-${i}` })
          : peer.addUser({ userName: p.email, emails: [{ value: p.email, primary: true }], active: i % 40 !== 0 });
      ids.push(u.id);
    }
    for (let g = 0; g < GROUPS; g++) {
      peer.addGroup(
        `Bench group ${g}`,
        ids.filter((_, i) => i % GROUPS === g || (i * 7) % GROUPS === g),
      );
    }
    log(`SCIM peer: ${ids.length.toLocaleString("en-US")} users in ${GROUPS} groups`);
    let seconds = 0;
    let counts: Record<string, number> = {};
    await db
      .transaction(async (tx) => {
        const { runId } = await prepare(tx as unknown as Db, peer.url, people);
        const t = performance.now();
        const outcome = await runReconciliation(tx as unknown as Db, runId, () => new Date(), { pageSize: 500, log });
        seconds = (performance.now() - t) / 1000;
        if (outcome.status !== "done") throw new Error(`the run ${outcome.status}: ${outcome.error}`);
        const [r] = await rowsOf(tx as unknown as Db, sql`SELECT counts FROM reconciliation_runs WHERE id = ${runId}`, {
          counts: col.json(z.record(z.string(), z.number())),
        });
        counts = r.counts;
        throw new Rollback();
      })
      .catch((err) => {
        if (!(err instanceof Rollback)) throw err;
      });
    log(`run: ${JSON.stringify(counts)} (rolled back)`);
    const scale = people.length < 100_000 ? ` — ${people.length.toLocaleString("en-US")} accounts, not 100k` : "";
    return [
      {
        name: `reconcile a ${people.length.toLocaleString("en-US")}-account SCIM system`,
        value: seconds,
        unit: "s",
        target: { max: 120 },
        note: `read + apply: ${counts.matched} matched, ${counts.created} new, ${counts.uncorrelated} uncorrelated, ${counts.accountsEnded} ended${scale}`,
      },
    ];
  } finally {
    await peer.stop();
    delete process.env[SECRET_ENV];
  }
}

export const reconcileBench: BenchSuite = { name: "reconcile", run };
