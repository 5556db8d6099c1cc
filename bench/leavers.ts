import { sql } from "drizzle-orm";
import type { Db, DbHandle } from "@/db/client";
import { col } from "@/db/rows";
import { type Actor, userActor } from "@/lib/authz";
import { ScimConnector } from "@/lib/connectors/scim";
import { makeCtx } from "@/lib/context";
import { confirmRun, ingest, startRun } from "@/lib/imports";
import { migrateGraphile, startGraphileWorker } from "@/lib/jobs/graphile";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { executeCases } from "@/lib/leavers/commands";
import { openCases } from "@/lib/leavers/open-cases";
import { listCases } from "@/lib/leavers/queries";
import { startScimPeer } from "@/lib/testing/peers/scim-server";
import { rowsOf } from "@/lib/testing/sql";
import { type BenchSuite, type Measurement, timeIt } from "./types";

async function analyst(db: Db): Promise<Actor> {
  const [a] = await rowsOf(
    db,
    sql`
    SELECT i.id, i.display_name AS name FROM identities i JOIN console_roles r ON r.identity_id = i.id AND r.role = 'analyst'
     WHERE i.status = 'active' ORDER BY i.id LIMIT 1`,
    { id: col.num, name: col.text },
  );
  if (!a) throw new Error("no analyst in this database: seed it with npm run seed -- --scale large");
  return userActor(Number(a.id), a.name, ["analyst"]);
}

/** People free to leave: active humans, no console role, no open case. */
const freePeople = (db: Db, n: number, offset = 0) =>
  rowsOf(
    db,
    sql`
    SELECT i.id, i.employee_number FROM identities i
     WHERE i.kind = 'human' AND i.status = 'active' AND i.employee_number IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
       AND NOT EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = i.id AND c.status <> 'closed')
     ORDER BY i.id DESC LIMIT ${n} OFFSET ${offset}`,
    { id: col.num, employee_number: col.text },
  );

class Rollback extends Error {}

async function queueBench(handle: DbHandle, log: (l: string) => void): Promise<Measurement[]> {
  const ctx = makeCtx(await analyst(handle.db), handle.db);
  const [{ n }] = await rowsOf(handle.db, sql`SELECT count(*)::int AS n FROM leaver_cases WHERE status <> 'closed'`, {
    n: col.num,
  });
  log(`${n} cases in the queue`);
  const first = await listCases(ctx, { limit: 50 });
  const a = await timeIt(() => listCases(ctx, { limit: 50 }));
  const b = await timeIt(() => listCases(ctx, { limit: 50, after: first.next ?? undefined }));
  const c = await timeIt(() => listCases(ctx, { limit: 50, reason: "layoff", breached: "1" }));
  return [
    {
      name: "queue: first page (50, risk order) — median",
      value: a.median,
      unit: "ms",
      target: { max: 50 },
      note: `p95 ${a.p95.toFixed(1)} ms`,
    },
    {
      name: "queue: next page (keyset) — median",
      value: b.median,
      unit: "ms",
      target: { max: 50 },
      note: `p95 ${b.p95.toFixed(1)} ms`,
    },
    {
      name: "queue: filtered (layoff, SLA breached) — median",
      value: c.median,
      unit: "ms",
      target: { max: 50 },
      note: `p95 ${c.p95.toFixed(1)} ms`,
    },
  ];
}

async function importBench(handle: DbHandle, log: (l: string) => void): Promise<Measurement[]> {
  const actor = await analyst(handle.db);
  const people = await freePeople(handle.db, 1000);
  const now = new Date();
  const csv = [
    "employee_number,reason,effective_at",
    ...people.map((p) => `${p.employee_number},layoff,${now.toISOString()}`),
  ].join("\n");
  let preview = 0;
  let confirm = 0;
  let opened = 0;
  let tasks = 0;
  // In a transaction that is rolled back: the bench measures the import without consuming the seed.
  await handle.db
    .transaction(async (tx) => {
      const ctx = makeCtx(actor, tx as unknown as Db, now);
      let t = performance.now();
      const run = await startRun(ctx, { kind: "hr_leavers", source: "cli", fileName: "bench-1000.csv" });
      const p = await ingest(ctx, { runId: run.id, body: [Buffer.from(csv)] });
      preview = performance.now() - t;
      t = performance.now();
      const r = await confirmRun(ctx, { runId: p.id, digest: p.digest! });
      confirm = performance.now() - t;
      opened = r.counts.applied;
      const [{ n }] = await rowsOf(
        tx as unknown as Db,
        sql`SELECT count(*)::int AS n FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id
             WHERE c.batch_id = ${(r.summary.result as { batchId: number }).batchId}`,
        { n: col.num },
      );
      tasks = Number(n);
      throw new Rollback();
    })
    .catch((err) => {
      if (!(err instanceof Rollback)) throw err;
    });
  log(`imported ${opened} leavers with ${tasks.toLocaleString("en-US")} tasks (rolled back)`);
  return [
    { name: "import 1,000 leavers: preview (every row checked)", value: preview, unit: "ms" },
    {
      name: "import 1,000 leavers: confirm (cases + tasks + audit)",
      value: confirm / 1000,
      unit: "s",
      target: { max: 10 },
      note: `${opened} cases, ${tasks.toLocaleString("en-US")} tasks`,
    },
  ];
}

async function executionBench(handle: DbHandle, log: (l: string) => void): Promise<Measurement[]> {
  const url = process.env.DATABASE_URL!;
  const workers = 8;
  const count = Number(process.env.BENCH_LEAVER_TASKS ?? 400);
  const peer = await startScimPeer();
  process.env.LOCKSTEP_BENCH_SCIM_TOKEN = peer.token;
  const slug = `bench-scim-${Date.now()}`;
  const config = JSON.stringify({ baseUrl: peer.url, secretEnv: "LOCKSTEP_BENCH_SCIM_TOKEN", timeoutMs: 10_000 });
  const [system] = await rowsOf(
    handle.db,
    sql`
    INSERT INTO systems (slug, name, category, criticality, connector_kind, connector_config, connector_simulated, max_concurrency, description)
    VALUES (${slug}, ${`Bench SCIM peer ${slug}`}, 'saas', 'medium', 'scim', ${config}::jsonb, false, ${workers}, 'npm run bench: local SCIM peer') RETURNING id`,
    { id: col.num },
  );
  const people = await freePeople(handle.db, count, 1000);
  for (const p of people) {
    const [acct] = await rowsOf(
      handle.db,
      sql`
      INSERT INTO accounts (system_id, identity_id, username, external_id, status)
      SELECT ${system.id}, i.id, i.email, ${`${slug}:${p.id}`}, 'active' FROM identities i WHERE i.id = ${p.id} RETURNING username`,
      { username: col.text },
    );
    peer.addUser({ userName: acct.username, externalId: `${slug}:${p.id}` });
  }
  const ctx = makeCtx(await analyst(handle.db), handle.db);
  await openCases(ctx, {
    leavers: people.map((p) => ({
      identityId: Number(p.id),
      reason: "layoff" as const,
      effectiveAt: new Date(),
      lastDay: null,
    })),
  });
  const ids = (
    await rowsOf(
      handle.db,
      sql`
    SELECT t.id FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id AND c.status <> 'closed' WHERE t.system_id = ${system.id}`,
      { id: col.num },
    )
  ).map((r) => Number(r.id));
  await migrateGraphile(url);
  const started = performance.now();
  for (let i = 0; i < ids.length; i += 1000) await executeCases(ctx, { taskIds: ids.slice(i, i + 1000) });
  const runner = await startGraphileWorker({
    connectionString: url,
    db: handle.db,
    handlers: JOB_HANDLERS,
    concurrency: workers,
    schedules: [],
    pollInterval: 200,
  });
  let verified = 0;
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    [{ n: verified }] = await rowsOf(
      handle.db,
      sql`SELECT count(*)::int AS n FROM remediation_tasks WHERE system_id = ${system.id} AND state IN ('verified', 'failed')`,
      { n: col.num },
    );
    if (verified >= ids.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  const [s] = await rowsOf(
    handle.db,
    sql`
    SELECT count(*) FILTER (WHERE state = 'verified')::int AS ok, count(*) FILTER (WHERE state = 'failed')::int AS failed FROM remediation_tasks WHERE system_id = ${system.id}`,
    { ok: col.num, failed: col.num },
  );
  const inactive = [...peer.users.values()].filter((u) => !u.active).length;
  log(
    `${s.ok} tasks verified, ${s.failed} failed, ${inactive} SCIM users inactive at the peer, in ${seconds.toFixed(1)} s (cases left open in this database)`,
  );
  // Context: what the peer alone costs per task (same user count, no Lockstep bookkeeping, one at a time).
  const sys = {
    id: Number(system.id),
    slug,
    name: slug,
    kind: "scim" as const,
    config: { baseUrl: peer.url, secretEnv: "LOCKSTEP_BENCH_SCIM_TOKEN" },
    simulated: false,
    deprovisionMode: "deactivate" as const,
  };
  const bare = new ScimConnector(sys);
  const probes = Array.from({ length: 20 }, (_, i) =>
    peer.addUser({ userName: `probe-${i}@bench.example`, externalId: `probe:${i}` }),
  );
  const t0 = performance.now();
  for (const u of probes) {
    const action = {
      id: u.id,
      system: sys,
      person: { email: null, employeeNumber: null, displayName: u.userName },
      kind: "disable_account" as const,
      account: { username: u.userName, externalId: u.externalId ?? null },
    };
    await bare.execute(action);
    await bare.verify(action);
  }
  const peerMs = (performance.now() - t0) / probes.length;
  await peer.stop();
  return [
    {
      name: `execute+verify against the SCIM peer, ${workers} workers`,
      value: s.ok / seconds,
      unit: "tasks/s",
      note: `${s.ok} tasks in ${seconds.toFixed(1)} s; each is 4 SCIM calls and 3 transactions`,
    },
    {
      name: "SCIM peer alone, per task, one at a time (context)",
      value: peerMs,
      unit: "ms",
      note: `the in-process scimmy peer scans ${peer.users.size} users per filter`,
    },
  ];
}

export const leaverBench: BenchSuite = {
  name: "leavers",
  async run(handle, log) {
    return [
      ...(await queueBench(handle, log)),
      ...(await importBench(handle, log)),
      ...(await executionBench(handle, log)),
    ];
  },
};
