import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { filterLabels } from "@/lib/api-scopes/queries";
import type { InventoryFilters } from "@/lib/api-scopes/schemas";
import { Forbidden, NotFound } from "@/lib/errors";
import { ctxAs, ctxByName } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";
import { batchProgress } from "./batch";
import { getCase } from "./case-detail";
import { queueCsvRows } from "./export";
import { listCases } from "./queries";
import { revocationReport } from "./report";
import { queueStats } from "./stats";

const page = { limit: 4 } as const;

describe("leaver queue and views", () => {
  it("orders open cases by the stored risk key, drift-reopened first, and walks pages with keyset cursors", async () => {
    const db = await testDb();
    const ctx = await ctxAs(db, ["analyst"]);
    const expected = await rowsOf(
      db,
      sql`SELECT id FROM leaver_cases WHERE status <> 'closed' ORDER BY queue_rank, id`,
      { id: col.num },
    );
    const seen: number[] = [];
    let after: string | undefined;
    let first: Awaited<ReturnType<typeof listCases>> | undefined;
    for (;;) {
      const p = await listCases(ctx, { ...page, after });
      first ??= p;
      seen.push(...p.items.map((c) => c.id));
      if (!p.next) break;
      after = p.next;
    }
    expect(seen).toEqual(expected.map((r) => Number(r.id)));
    expect(first!.items[0].status).toBe("reopened");
    expect(first!.items[0].risk).toBe(100);
    // Scores never rise down the queue (the order and the displayed risk agree).
    const all = await listCases(ctx, { limit: 500 });
    for (let i = 1; i < all.items.length; i++) expect(all.items[i].risk).toBeLessThanOrEqual(all.items[i - 1].risk);
    // Previous comes back to the same page.
    const second = await listCases(ctx, { ...page, after: first!.next! });
    const back = await listCases(ctx, { ...page, before: second.prev! });
    expect(back.items.map((c) => c.id)).toEqual(first!.items.map((c) => c.id));
  });

  it("filters by reason, SLA breached, batch and status", async () => {
    const db = await testDb();
    const ctx = await ctxAs(db, ["analyst"]);
    const layoffs = await listCases(ctx, { limit: 500, reason: "layoff" });
    expect(layoffs.items.length).toBeGreaterThan(0);
    for (const c of layoffs.items) expect(c.reason).toBe("layoff");
    const breached = await listCases(ctx, { limit: 500, breached: "1" });
    for (const c of breached.items) expect(c.slaDueAt.getTime()).toBeLessThan(ctx.now.getTime());
    const [b] = await rowsOf(
      db,
      sql`SELECT batch_id, count(*)::int AS n FROM leaver_cases WHERE batch_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
      { batch_id: col.num, n: col.num },
    );
    const inBatch = await listCases(ctx, { limit: 500, batch: Number(b.batch_id), status: "all" });
    expect(inBatch.items).toHaveLength(Number(b.n));
    const closed = await listCases(ctx, { limit: 500, status: "closed" });
    for (const c of closed.items) expect(c.status).toBe("closed");
    const stats = await queueStats(ctx);
    expect(stats.open).toBe((await listCases(ctx, { limit: 500 })).items.length);
    expect(stats.breached).toBe(breached.items.length);
  });

  it("shows a manager only their team's cases, and executives nothing", async () => {
    const db = await testDb();
    const maya = await ctxByName(db, "Maya Patel");
    const mine = await listCases(maya, { limit: 500, status: "all" });
    expect(mine.items.map((c) => c.person)).toContain("Ravi Menon");
    expect(mine.items.map((c) => c.person)).not.toContain("Chloe Martin");
    const chloe = (await listCases(await ctxAs(db, ["analyst"]), { limit: 500, status: "all" })).items.find(
      (c) => c.person === "Chloe Martin",
    )!;
    await expect(getCase(maya, chloe.id)).rejects.toThrow(/not found/);
    await expect(listCases(await ctxAs(db, ["executive"]), { limit: 10 })).rejects.toThrow(Forbidden);
  });

  it("reports a batch's progress from its tasks, and a case's revocations per system (CSV in UTC)", async () => {
    const db = await testDb();
    const ctx = await ctxAs(db, ["analyst"]);
    const [b] = await rowsOf(
      db,
      sql`SELECT id FROM leaver_batches ORDER BY (SELECT count(*) FROM leaver_cases c WHERE c.batch_id = leaver_batches.id) DESC LIMIT 1`,
      { id: col.num },
    );
    const progress = await batchProgress(ctx, Number(b.id));
    const [t] = await rowsOf(
      db,
      sql`
      SELECT count(*)::int AS total, count(*) FILTER (WHERE t.state = 'verified')::int AS verified, count(*) FILTER (WHERE t.state = 'failed')::int AS failed
        FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id WHERE c.batch_id = ${Number(b.id)}`,
      { total: col.num, verified: col.num, failed: col.num },
    );
    expect(progress.tasks.total).toBe(t.total);
    expect(progress.tasks.verified).toBe(t.verified);
    expect(progress.failures.reduce((a, f) => a + f.tasks, 0)).toBe(t.failed);
    // "Next SLA" is one still ahead; a passed one counts as breached (acceptance testing saw "Next SLA: 1 mo ago").
    const [sla] = await rowsOf(
      db,
      sql`SELECT min(sla_due_at) FILTER (WHERE status <> 'closed' AND sla_due_at >= ${ctx.now.toISOString()}::timestamptz) AS next,
                 count(*) FILTER (WHERE status <> 'closed' AND sla_due_at < ${ctx.now.toISOString()}::timestamptz)::int AS breached
            FROM leaver_cases WHERE batch_id = ${Number(b.id)}`,
      { next: col.dateOrNull, breached: col.int },
    );
    expect(progress.nextSlaAt).toBe(sla.next?.toISOString() ?? null);
    if (progress.nextSlaAt) expect(Date.parse(progress.nextSlaAt)).toBeGreaterThanOrEqual(ctx.now.getTime());
    expect(progress.cases.breached).toBe(sla.breached);
    const tasksSum =
      progress.tasks.verified +
      progress.tasks.done +
      progress.tasks.running +
      progress.tasks.pending +
      progress.tasks.failed +
      progress.tasks.waived;
    expect(tasksSum).toBe(progress.tasks.total);

    const [closed] = await rowsOf(db, sql`SELECT id FROM leaver_cases WHERE status = 'closed' ORDER BY id LIMIT 1`, {
      id: col.num,
    });
    const report = await revocationReport(ctx, Number(closed.id));
    expect(report.complete).toBe(true);
    for (const l of report.lines) expect(l.state === "verified" ? l.howVerified : l.waiver).not.toBe("");
    const rows: unknown[][] = [];
    const { reportCsvRows } = await import("./report");
    for await (const r of reportCsvRows(ctx, Number(closed.id))) rows.push(r);
    expect(rows).toHaveLength(report.lines.length);
    for (const r of rows) if (r[8]) expect(String(r[8])).toMatch(/Z$/);
    const queue: unknown[][] = [];
    for await (const r of queueCsvRows(ctx, {})) queue.push(r);
    expect(queue.length).toBe((await listCases(ctx, { limit: 500 })).items.length);
  });
});

describe("a manager's view of batches and names (hardening finding 6)", () => {
  it("shows a manager only batches that touched their team, with their team's part and not the file or its size", async () => {
    const db = await testDb();
    const maya = await ctxByName(db, "Maya Patel");
    const team = sql`(WITH RECURSIVE t(id) AS (SELECT ${maya.actor.id}::int UNION SELECT i.id FROM identities i JOIN t ON i.manager_id = t.id) SELECT id FROM t)`;
    const batches = await rowsOf(
      db,
      sql`SELECT b.id, b.row_count, (SELECT count(*) FROM leaver_cases c WHERE c.batch_id = b.id AND c.identity_id IN ${team})::int AS mine
            FROM leaver_batches b ORDER BY b.id`,
      { id: col.num, row_count: col.num, mine: col.num },
    );
    const outside = batches.find((b) => b.mine === 0);
    expect(outside, "the seed has a batch with nobody from Maya's team").toBeDefined();
    await expect(batchProgress(maya, outside!.id)).rejects.toThrow(NotFound);
    const inside = batches.find((b) => b.mine > 0);
    if (inside) {
      const progress = await batchProgress(maya, inside.id);
      expect(progress).toMatchObject({ fileName: null, rowCount: inside.mine });
    }
    // An analyst sees every batch whole.
    const analyst = await ctxAs(db, ["analyst"]);
    expect((await batchProgress(analyst, outside!.id)).rowCount).toBe(outside!.row_count);
  });

  it("does not name an identity outside the manager's team through the inventory's owner filter", async () => {
    const db = await testDb();
    const maya = await ctxByName(db, "Maya Patel");
    const [stranger] = await rowsOf(
      db,
      sql`SELECT id, display_name AS name FROM identities WHERE kind = 'human' AND manager_id IS NULL AND id <> ${maya.actor.id} ORDER BY id LIMIT 1`,
      { id: col.num, name: col.text },
    );
    expect(await filterLabels(maya, { owner: stranger.id } as InventoryFilters)).toEqual({
      owner: undefined,
      endpoint: undefined,
    });
    expect((await filterLabels(await ctxAs(db, ["analyst"]), { owner: stranger.id } as InventoryFilters)).owner).toBe(
      stranger.name,
    );
  });
});
