import { describe, expect, it } from "vitest";
import { checkedSources, checkSql, type Source } from "@/lib/testing/sql-guard";

/**
 * House rule "no unchecked casts of rows", read from the code with the TypeScript compiler: raw SQL rows are
 * parsed with a schema (queryRows(db, sql, schema)), never cast, and arrays travel as one bound parameter
 * (db/sql.ts), never as a literal joined by hand. Covers lib/, db/ (not the seed), app/, scripts/, bench/ and
 * the e2e set-up scripts.
 */
describe("raw SQL in the code base", () => {
  const sources = checkedSources(process.cwd());

  it("reads the whole tree (the scan is not silently empty)", () => {
    const paths = sources.map((s) => s.path);
    for (const p of ["db/client.ts", "lib/api-scopes/queries.ts", "lib/factors/people.ts", "bench/leavers.ts"]) {
      expect(paths).toContain(p);
    }
    expect(paths.some((p) => p.startsWith("db/seed/") || p.endsWith(".test.ts"))).toBe(false);
  });

  it("parses every row it reads and builds no array literal by hand — no exceptions", () => {
    expect(checkSql(sources)).toEqual([]);
  });
});

describe("the guard itself", () => {
  const file = (body: string, path = "lib/demo/queries.ts"): Source => ({
    path,
    text: `import { sql } from "drizzle-orm";\nimport { z } from "zod";\nimport { queryRows } from "@/db/client";\n${body}`,
  });

  it("passes rows read with a schema and arrays bound through db/sql.ts", () => {
    const ok = file(`export async function names(db: Db, ids: number[]) {
      const rows = await queryRows(db, sql\`SELECT name FROM things WHERE id = ANY(\${intArray(ids)})\`, z.object({ name: col.text }));
      const parts = sql.join([sql\`a\`, sql\`b\`], sql\`, \`);
      return { rows, parts, label: ids.join(",") };
    }`);
    expect(checkSql([ok])).toEqual([]);
  });

  it("catches queryRows without a schema (a deliberately broken fixture)", () => {
    const broken = file(`export async function names(db: Db) {
      return queryRows<{ name: string }>(db, sql\`SELECT name FROM things\`);
    }`);
    expect(checkSql([broken])).toEqual(["lib/demo/queries.ts:5: queryRows without a row schema"]);
  });

  it("catches casts of db.execute results and of their rows, and execute<T>", () => {
    const broken = file(`export async function names(db: Db) {
      const a = (await db.execute(sql\`SELECT 1\`)) as unknown as { rows: { n: number }[] };
      const res = await ctx.db.execute(sql\`SELECT 2\`);
      const b = res.rows as { n: number }[];
      const c = ((await tx.db.execute(sql\`SELECT 3\`)).rows[0]) as { n: number };
      const d = await db.execute<{ n: number }>(sql\`SELECT 4\`);
      return [a, b, c, d];
    }`);
    expect(checkSql([broken])).toEqual([
      "lib/demo/queries.ts:5: rows of db.execute(…) cast with `as` (use queryRows with a schema)",
      "lib/demo/queries.ts:7: rows of db.execute(…) cast with `as` (use queryRows with a schema)",
      "lib/demo/queries.ts:8: rows of db.execute(…) cast with `as` (use queryRows with a schema)",
      "lib/demo/queries.ts:9: execute<T>(…) types rows it never checks",
    ]);
  });

  it("catches hand-built array literals inside sql templates and sql.raw, and arrays bound around db/sql.ts", () => {
    const broken = file(`export async function names(db: Db, ids: number[], tags: string[]) {
      await db.execute(sql\`SELECT 1 WHERE 1 = ANY(\${\`{\${ids.join(",")}}\`}::int[])\`);
      await db.execute(sql\`SELECT 1 WHERE 'x' = ANY(\${\`{\${tags.map((t) => t.trim()).join(", ")}}\`}::text[])\`);
      await db.execute(sql\`SELECT 1 WHERE 1 = ANY(ARRAY[\${sql.raw(ids.join(","))}])\`);
      await db.execute(sql\`SELECT 1 WHERE 1 = ANY(\${sql.param(ids)}::int[])\`);
    }`);
    expect(checkSql([broken])).toEqual([
      "lib/demo/queries.ts:5: Postgres array literal built by hand (use db/sql.ts)",
      "lib/demo/queries.ts:6: Postgres array literal built by hand (use db/sql.ts)",
      "lib/demo/queries.ts:7: Postgres array literal built by hand (use db/sql.ts)",
      "lib/demo/queries.ts:8: sql.param outside db/sql.ts (bind arrays with intArray, bigintArray, textArray, enumArray)",
    ]);
  });

  it("checks .tsx files too", () => {
    const page: Source = {
      path: "app/demo/page.tsx",
      text: `export default async function Page() {
        const rows = (await db.execute(sql\`SELECT 1\`)).rows as { n: number }[];
        return <div>{rows.length}</div>;
      }`,
    };
    expect(checkSql([page])).toEqual([
      "app/demo/page.tsx:2: rows of db.execute(…) cast with `as` (use queryRows with a schema)",
    ]);
  });
});
