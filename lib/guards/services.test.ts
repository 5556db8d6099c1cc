import { describe, expect, it } from "vitest";
import { checkServices, libSources, type Source } from "@/lib/testing/service-guard";

/**
 * House rules 1, 2 and 7 for every area of lib/, read from the code with the TypeScript compiler: every service
 * checks its permission on its first line; every service that changes data writes an audit event inside its
 * transaction; unguarded helpers live in internal.ts. (The runtime counterpart, one case per write, is
 * lib/guards/writes.test.ts.)
 */
describe("services in every lib/<area>", () => {
  const result = checkServices(libSources(process.cwd()));

  it("finds the services of every area (the scan is not silently empty)", () => {
    const areas = new Set(result.services.map((s) => s.file.split("/")[1]));
    for (const area of ["leavers", "remediation", "api-scopes", "factors", "people", "audit", "dashboard", "events"]) {
      expect(areas, area).toContain(area);
    }
    expect(result.services.filter((s) => s.writes).length).toBeGreaterThanOrEqual(12);
  });

  it("authorize first, audit inside the transaction, unguarded writers in internal.ts — no exceptions", () => {
    expect(result.problems).toEqual([]);
  });
});

describe("the guard itself", () => {
  const ctxFile = (body: string, file = "lib/demo/commands.ts"): Source => ({
    path: file,
    text: `import { authorize } from "@/lib/authz";\nimport { writeAudit } from "@/lib/audit";\nimport { type Ctx, transact } from "@/lib/context";\nimport { sql } from "drizzle-orm";\n${body}`,
  });

  it("passes a proper service", () => {
    const ok = ctxFile(`export async function closeThing(ctx: Ctx, input: { id: number }) {
      authorize(ctx.actor, "leavers.manage");
      return transact(ctx, async (tx) => {
        await tx.db.execute(sql\`UPDATE things SET closed = true WHERE id = \${input.id}\`);
        await writeAudit(tx, { action: "leaver.close", target: { type: "thing", id: input.id } });
      });
    }`);
    expect(checkServices([ok])).toMatchObject({ problems: [], services: [{ name: "closeThing", writes: true }] });
  });

  it("catches a write that skips authorization (a deliberately broken fixture)", () => {
    const broken = ctxFile(`export async function closeThing(ctx: Ctx, input: { id: number }) {
      return transact(ctx, async (tx) => {
        await tx.db.execute(sql\`UPDATE things SET closed = true WHERE id = \${input.id}\`);
        await writeAudit(tx, { action: "leaver.close", target: { type: "thing", id: input.id } });
      });
    }`);
    expect(checkServices([broken]).problems).toEqual([
      "lib/demo/commands.ts closeThing: changes data without authorize(...) on its first line (or move it to an internal.ts)",
    ]);
  });

  it("catches a write without an audit event, also when the write happens in a helper it calls in another file", () => {
    const helper: Source = {
      path: "lib/demo/store.ts",
      text: `import { sql } from "drizzle-orm";\nexport async function markClosed(db: Db, id: number) { await db.delete(things).where(sql\`id = \${id}\`); }`,
    };
    const broken = ctxFile(`import { markClosed } from "./store";
    export async function closeThing(ctx: Ctx, input: { id: number }) {
      authorize(ctx.actor, "leavers.manage");
      return transact(ctx, (tx) => markClosed(tx.db, input.id));
    }`);
    expect(checkServices([broken, helper]).problems).toEqual([
      "lib/demo/commands.ts closeThing: changes data but writes no audit event",
    ]);
  });

  it("catches an audit event written outside the transaction, and accepts unguarded writers only in internal.ts", () => {
    const outside = ctxFile(`export async function closeThing(ctx: Ctx, input: { id: number }) {
      authorize(ctx.actor, "leavers.manage");
      await transact(ctx, (tx) => tx.db.execute(sql\`DELETE FROM things WHERE id = \${input.id}\`));
      await writeAudit(ctx, { action: "leaver.close", target: { type: "thing", id: input.id } });
    }`);
    expect(checkServices([outside]).problems).toEqual([
      "lib/demo/commands.ts closeThing: writes its audit event outside its transact(...) callback",
    ]);
    const helper = (file: string) =>
      ctxFile(
        `export async function insertThing(tx: Ctx, id: number) {
          await tx.db.execute(sql\`INSERT INTO things (id) VALUES (\${id})\`);
        }`,
        file,
      );
    expect(checkServices([helper("lib/demo/internal.ts")]).problems).toEqual([]);
    expect(checkServices([helper("lib/demo/things.ts")]).problems).toHaveLength(1);
  });

  it("does not count an import run's working tables as changes, but still counts any other write beside them", () => {
    const preview = ctxFile(`export async function previewThing(ctx: Ctx, id: number) {
      authorize(ctx.actor, "imports.run");
      await ctx.db.insert(importRows).values({ runId: id });
      await ctx.db.execute(sql\`UPDATE import_runs SET status = 'previewed' WHERE id = \${id}\`);
    }`);
    expect(checkServices([preview])).toMatchObject({ problems: [], services: [{ writes: false }] });
    const sneaky = ctxFile(`export async function previewThing(ctx: Ctx, id: number) {
      authorize(ctx.actor, "imports.run");
      await ctx.db.execute(sql\`UPDATE import_runs SET status = 'previewed' WHERE id = \${id}\`);
      await ctx.db.execute(sql\`INSERT INTO leaver_cases (identity_id) VALUES (\${id})\`);
    }`);
    expect(checkServices([sneaky]).problems).toEqual([
      "lib/demo/commands.ts previewThing: changes data but writes no audit event",
    ]);
  });

  it("does not take row locks or upserts' DO UPDATE for writes of their own", () => {
    const read = ctxFile(`export async function lockThing(ctx: Ctx, id: number) {
      authorize(ctx.actor, "leavers.read");
      return ctx.db.execute(sql\`SELECT * FROM things WHERE id = \${id} FOR UPDATE OF things\`);
    }`);
    expect(checkServices([read])).toMatchObject({ problems: [], services: [{ writes: false }] });
  });
});
