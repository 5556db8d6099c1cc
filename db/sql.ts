import { type SQL, sql } from "drizzle-orm";
import type { PgEnum } from "drizzle-orm/pg-core";

/**
 * Arrays bound as one parameter (`= ANY(${intArray(ids)})`, `unnest(${textArray(names)})`), the same on
 * node-postgres and PGlite. Never a literal built by joining strings: elements with commas, quotes or braces
 * would break it, and each distinct list would be a new statement to plan.
 */
export function intArray(ids: Iterable<number>): SQL<number[]> {
  return sql<number[]>`${sql.param([...ids].map((id) => Math.trunc(id)))}::int[]`;
}

/** For bigint (int8) keys: remediation tasks, review items, grants. */
export function bigintArray(ids: Iterable<number>): SQL<number[]> {
  return sql<number[]>`${sql.param([...ids].map((id) => Math.trunc(id)))}::int8[]`;
}

export function textArray(values: Iterable<string>): SQL<string[]> {
  return sql<string[]>`${sql.param([...values])}::text[]`;
}

/** An array of a Postgres enum, its type named by the Drizzle enum so values and type come from the schema. */
export function enumArray<T extends [string, ...string[]]>(
  e: PgEnum<T>,
  values: Iterable<T[number]>,
): SQL<T[number][]> {
  return sql<T[number][]>`${sql.param([...values])}::${sql.identifier(e.enumName)}[]`;
}
