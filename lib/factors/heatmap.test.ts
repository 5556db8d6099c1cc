import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { Forbidden } from "@/lib/errors";
import { asAnalyst, asApprover, asExecutive, ctxByName } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { ancestorsOf, loadWorld, teamOf, type World } from "@/lib/testing/posture-oracle";
import { rowsOf } from "@/lib/testing/sql";
import { cellPeopleCsvRows } from "./export";
import { departmentHeatmap, systemHeatmap } from "./heatmap";
import { listCellPeople } from "./people";
import { cellPeopleInput } from "./schemas";
import { sumCounts } from "./tree";

/**
 * The heatmaps and their drill-down against an independent count: strengths from posture() over the raw
 * factors, privileged access from the grants, department totals by walking up the tree (the queries walk down).
 */
let db: Db;
let world: World;

beforeAll(async () => {
  db = await testDb();
  world = await loadWorld(db, TEST_NOW);
});

/** Expected counts per department row (subtree), by strength, for people passing `keep`. */
function expectedByDepartment(
  keep: (p: World["people"][number]) => boolean,
  measure: "effectiveStrength" | "primaryStrength",
) {
  const rows = new Map<number | null, number[]>();
  for (const p of world.people.filter(keep)) {
    for (const d of ancestorsOf(world, p.departmentId)) {
      const counts = rows.get(d) ?? [0, 0, 0, 0, 0, 0];
      counts[p.posture[measure]]++;
      rows.set(d, counts);
    }
  }
  return rows;
}

describe("department heatmap", () => {
  it.each([
    ["everyone", false],
    ["people holding privileged grants", true],
  ])("equals the independent count for %s, both measures, every row and the total", async (_, privilegedOnly) => {
    const heatmap = await departmentHeatmap(await asAnalyst(db), { privilegedOnly });
    const keep = (p: World["people"][number]) => !privilegedOnly || p.privilegedSystems.length > 0;
    for (const measure of ["effectiveStrength", "primaryStrength"] as const) {
      const want = expectedByDepartment(keep, measure);
      const got = new Map(
        heatmap.rows.map((r) => [r.id, measure === "effectiveStrength" ? r.value.effective : r.value.primary]),
      );
      expect(Object.fromEntries(got), measure).toEqual(Object.fromEntries(want));
    }
    const people = world.people.filter(keep);
    expect(heatmap.total.people).toBe(people.length);
    expect(heatmap.total.gap).toBe(
      people.filter((p) => p.posture.effectiveStrength < p.posture.primaryStrength).length,
    );
    expect(sumCounts(heatmap.total.effective)).toBe(people.length);
    // The seeded organisation is a tree: more rows than top-level departments, children after their parent.
    expect(heatmap.rows.some((r) => r.depth > 0) || heatmap.rows.length > 5).toBe(true);
    for (const [i, r] of heatmap.rows.entries())
      if (r.depth > 0) expect(heatmap.rows.slice(0, i).some((p) => p.id === r.parentId)).toBe(true);
  });

  it("gives a manager their team only", async () => {
    const maya = await ctxByName(db, "Maya Patel");
    const all = (
      await rowsOf(db, sql`SELECT id, manager_id FROM identities`, { id: col.num, manager_id: col.numOrNull })
    ).map((r) => ({ id: Number(r.id), managerId: r.manager_id === null ? null : Number(r.manager_id) }));
    const team = teamOf(all, maya.actor.id!);
    const heatmap = await departmentHeatmap(maya, { privilegedOnly: false });
    expect(heatmap.total.people).toBe(world.people.filter((p) => team.has(p.id)).length);
    expect(heatmap.total.people).toBeLessThan(world.people.length);
  });

  it("lets executives read it, without any department of fewer than five people, and refuses approvers", async () => {
    const full = await departmentHeatmap(await asAnalyst(db), { privilegedOnly: true });
    const exec = await departmentHeatmap(await asExecutive(db), { privilegedOnly: true });
    // Same totals: small departments' people are counted in their parent, not dropped.
    expect(exec.total).toEqual(full.total);
    expect(exec.rows.find((r) => r.depth === 0 && r.id !== null)?.value.people).toBeGreaterThan(0);
    const ownPeople = (rows: typeof exec.rows, r: (typeof exec.rows)[number]) =>
      r.value.people - rows.filter((c) => c.parentId === r.id && r.id !== null).reduce((n, c) => n + c.value.people, 0);
    const small = full.rows.filter((r) => ownPeople(full.rows, r) > 0 && ownPeople(full.rows, r) < 5);
    expect(small.length, "privileged people per department: the seed has small cells").toBeGreaterThan(0);
    for (const r of exec.rows) {
      const own = ownPeople(exec.rows, r);
      expect(own === 0 || own >= 5 || r.depth === 0, `${r.name}: ${own}`).toBe(true);
    }
    await expect(departmentHeatmap(await asApprover(db), { privilegedOnly: false })).rejects.toThrow(Forbidden);
  });
});

describe("privileged-system heatmap", () => {
  it.each(["effective", "primary"] as const)(
    "counts privileged accounts per system by the holder's %s strength",
    async (mode) => {
      const rows = await systemHeatmap(await asAnalyst(db), { mode });
      const want = new Map<number, number[]>();
      for (const p of world.people) {
        for (const s of p.privilegedSystems) {
          const counts = want.get(s) ?? [0, 0, 0, 0, 0, 0];
          counts[mode === "effective" ? p.posture.effectiveStrength : p.posture.primaryStrength]++;
          want.set(s, counts);
        }
      }
      expect(Object.fromEntries(rows.map((r) => [r.systemId, r.counts]))).toEqual(Object.fromEntries(want));
      expect(rows.length).toBeGreaterThan(2);
      expect(rows[0].criticality).toBe("critical");
    },
  );
});

describe("people behind a cell", () => {
  async function allPages(input: Record<string, string>) {
    const ctx = await asAnalyst(db);
    const ids: number[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await listCellPeople(
        ctx,
        cellPeopleInput.parse({ ...input, limit: "7", ...(after ? { after } : {}) }),
      );
      ids.push(...page.items.map((p) => p.id));
      after = page.next ?? undefined;
      pages++;
    } while (after && pages < 100);
    return { ids, pages };
  }

  it("walks every page of a department × strength cell: exactly the people the count says, privileged first", async () => {
    const sales = world.people.find((p) => p.departmentId !== null)!.departmentId!;
    const want = world.people.filter(
      (p) => ancestorsOf(world, p.departmentId).includes(sales) && p.posture.effectiveStrength === 2,
    );
    const { ids, pages } = await allPages({ department: String(sales), strength: "2" });
    expect([...ids].sort((a, b) => a - b)).toEqual(want.map((p) => p.id).sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    if (want.length > 7) expect(pages).toBeGreaterThan(1);
    const privileged = new Set(want.filter((p) => p.privilegedSystems.length > 0).map((p) => p.id));
    const ranks = ids.map((id) => (privileged.has(id) ? 0 : 1));
    expect(ranks).toEqual([...ranks].sort());
  });

  it("lists a system cell's holders with their factors, the limiting factor marked", async () => {
    const [system] = await systemHeatmap(await asAnalyst(db), { mode: "effective" });
    const strength = system.counts.findIndex((n) => n > 0);
    const page = await listCellPeople(
      await asAnalyst(db),
      cellPeopleInput.parse({ system: String(system.systemId), strength: String(strength), limit: "500" }),
    );
    const want = world.people.filter(
      (p) => p.privilegedSystems.includes(system.systemId) && p.posture.effectiveStrength === strength,
    );
    expect(page.items.map((p) => p.id).sort()).toEqual(want.map((p) => p.id).sort());
    for (const person of page.items) {
      expect(person.effectiveStrength).toBe(strength);
      const limiting = person.factors.filter((f) => f.limiting);
      if (person.factors.some((f) => f.usage === "primary")) expect(limiting.length, person.name).toBeGreaterThan(0);
      for (const f of limiting)
        expect(f.strength === person.effectiveStrength || person.effectiveStrength === 0, person.name).toBe(true);
    }
  });

  it("shows a manager the people of their team behind a cell, and nobody else; executives none", async () => {
    const input = cellPeopleInput.parse({ strength: "2", limit: "500" });
    await expect(listCellPeople(await asExecutive(db), input)).rejects.toThrow(Forbidden);
    const maya = await ctxByName(db, "Maya Patel");
    const all = (
      await rowsOf(db, sql`SELECT id, manager_id FROM identities`, { id: col.num, manager_id: col.numOrNull })
    ).map((r) => ({ id: Number(r.id), managerId: r.manager_id === null ? null : Number(r.manager_id) }));
    const team = teamOf(all, maya.actor.id!);
    const want = world.people.filter((p) => team.has(p.id) && p.posture.effectiveStrength === 2).map((p) => p.id);
    const seen = (await listCellPeople(maya, input)).items.map((p) => p.id);
    expect(seen.sort((a, b) => a - b)).toEqual(want.sort((a, b) => a - b));
    const everyone = (await listCellPeople(await asAnalyst(db), input)).items.length;
    expect(everyone).toBeGreaterThan(seen.length);
    // Seeing is not exporting: the people's factors as a file stay with analysts and admins.
    await expect(cellPeopleCsvRows(maya, input).next()).rejects.toThrow(Forbidden);
  });
});
