import type { SQL } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";

const anyRow = z.record(z.string(), z.unknown());

/**
 * Rows of a raw SQL query in a test. With a shape (`{ id: col.int, name: col.text }`, parsers from db/rows.ts)
 * every row is parsed, as production's queryRows does; without one the rows come as `Record<string, unknown>`
 * for the test to read explicitly (`Number(r.n)`, `expect(rows).toEqual(…)`). Never a cast.
 */
export function rowsOf(db: Db, query: SQL): Promise<Record<string, unknown>[]>;
export function rowsOf<S extends z.ZodRawShape>(db: Db, query: SQL, shape: S): Promise<z.output<z.ZodObject<S>>[]>;
export function rowsOf(db: Db, query: SQL, shape?: z.ZodRawShape): Promise<unknown[]> {
  return queryRows(db, query, shape ? z.object(shape) : anyRow);
}
