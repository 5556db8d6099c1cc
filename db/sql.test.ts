import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { testDb } from "@/lib/testing/db";
import { queryRows } from "./client";
import { col } from "./rows";
import { dataClass } from "./schema/enums";
import { enumArray, intArray, textArray } from "./sql";

// Runs on whichever driver the suite uses (PGlite, or PostgreSQL with DATABASE_URL): the array is one bound
// parameter on both, so elements that would break a hand-built `{a,b}` literal arrive intact.
describe("array parameters (db/sql.ts)", () => {
  const awkward = ["a,b", 'say "hi"', "{braced}", "back\\slash", "", "NULL", " padded "];

  it("binds int, text and enum arrays as one parameter each", async () => {
    const db = await testDb();
    const [row] = await queryRows(
      db,
      sql`SELECT ${intArray([3, 1, 2.9])} AS ints, ${textArray(awkward)} AS texts,
                 ${enumArray(dataClass, ["pii", "health"])}::text[] AS classes,
                 cardinality(${intArray([])}) AS no_ints, cardinality(${textArray([])}) AS no_texts,
                 (SELECT count(*) FROM unnest(${textArray(awkward)}) t WHERE t = ANY(${textArray(["a,b", "NULL"])})) AS hits`,
      z.object({
        ints: z.array(col.int),
        texts: z.array(z.string()),
        classes: col.textArray,
        no_ints: col.int,
        no_texts: col.int,
        hits: col.int,
      }),
    );
    expect(row).toEqual({
      ints: [3, 1, 2],
      texts: awkward,
      classes: ["pii", "health"],
      no_ints: 0,
      no_texts: 0,
      hits: 2,
    });
  });

  it("filters real rows with = ANY(intArray)", async () => {
    const db = await testDb();
    const ids = await queryRows(db, sql`SELECT id FROM identities ORDER BY id LIMIT 3`, z.object({ id: col.int }));
    const found = await queryRows(
      db,
      sql`SELECT id FROM identities WHERE id = ANY(${intArray(ids.map((r) => r.id))}) ORDER BY id`,
      z.object({ id: col.int }),
    );
    expect(found).toEqual(ids);
    expect(found).toHaveLength(3);
  });
});
