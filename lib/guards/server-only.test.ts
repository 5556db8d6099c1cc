import { describe, expect, it } from "vitest";
import { checkServerOnly, databaseModules } from "@/lib/testing/server-only-guard";
import { libSources, type Source } from "@/lib/testing/service-guard";

/**
 * Every lib/ module that reaches the database starts with `import "server-only"`: a client component that imports
 * one (even through another module) then fails the build instead of bundling database code for the browser.
 */
describe("server-only in every lib/ module that reaches the database", () => {
  const sources = libSources(process.cwd());

  it("finds the database modules of lib/ (the scan is not silently empty)", () => {
    const found = databaseModules(sources).map((m) => m.file);
    expect(found).toContain("lib/context.ts");
    expect(found).toContain("lib/audit/write.ts");
    expect(found.length).toBeGreaterThanOrEqual(40);
  });

  it('each of them says import "server-only" first — no exceptions', () => {
    expect(checkServerOnly(sources)).toEqual([]);
  });
});

describe("the guard itself", () => {
  const src = (text: string, file = "lib/demo/queries.ts"): Source => ({ path: file, text });

  it("names a module that queries the database without server-only (a deliberately broken fixture)", () => {
    const broken = src(`import { sql } from "drizzle-orm";
      import { queryRows } from "@/db/client";
      import { identities } from "@/db/schema";
      export const people = (ctx: Ctx) => queryRows(ctx.db, sql\`SELECT * FROM \${identities}\`);`);
    expect(checkServerOnly([broken])).toEqual([
      'lib/demo/queries.ts: imports @/db/client, imports @/db/schema, reads ctx.db but does not start with import "server-only"',
    ]);
    expect(checkServerOnly([src(`import "server-only";\n${broken.text}`)])).toEqual([]);
  });

  it("requires it as the first statement, not somewhere further down", () => {
    const late = src(`import { queryRows } from "@/db/client";\nimport "server-only";`);
    expect(checkServerOnly([late])).toHaveLength(1);
  });

  it("follows relative paths, re-exports, dynamic imports and context reads", () => {
    const cases = [
      src(`import { getDb } from "../../../db/client";`, "lib/demo/deep/open.ts"),
      src(`export { queryRows } from "@/db/client";`),
      src(`export async function open() { return (await import("@/db/client")).getDb(); }`),
      src(`import * as schema from "@/db/schema/leavers";`),
      src(`export const run = (tx: Ctx) => tx.db.execute(q);`),
    ];
    for (const c of cases) expect(checkServerOnly([c]), c.text).toHaveLength(1);
  });

  it("ignores type-only imports and modules that never touch the database", () => {
    const clean = [
      src(`import type { Db } from "@/db/client";\nexport const f = (db: Db) => db;`),
      src(`import { type Db } from "@/db/client";\nexport type { Db };`),
      src(`export type { Db } from "@/db/client";`),
      src(`import { z } from "zod";\nexport const id = z.number();`),
      src(`import { connectorKind } from "@/db/schemata-elsewhere";`),
    ];
    expect(checkServerOnly(clean)).toEqual([]);
  });
});
