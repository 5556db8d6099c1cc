import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";

/**
 * Keyset pagination: the cursor is the sort key of the edge row (base64url JSON), so every page is an
 * index range scan whatever the depth — no OFFSET. All sort columns go the same direction (ties by id).
 */
export type SortDir = "asc" | "desc";
export type PageRequest = { after?: string; before?: string; limit: number };
export type Page<T> = { items: T[]; next: string | null; prev: string | null };

export const pageParams = z.object({
  after: z.string().max(500).optional(),
  before: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/**
 * Whether a cursor value fits the SQL type it is cast to. A cursor comes from the URL, so anyone can edit it: a value
 * that does not fit is treated as no cursor (the first page), never passed on to fail as a database error (a 500).
 */
const INT_RANGE = { int: 2 ** 31, int8: 2 ** 63, bigint: 2 ** 63 } as const;
function fitsCast(value: unknown, cast: string): boolean {
  if (value === null) return true;
  switch (cast) {
    case "int":
    case "int8":
    case "bigint": {
      // PostgreSQL hands int8 to JavaScript as a string of digits; both forms are accepted, in the type's range.
      const n = typeof value === "string" && /^-?\d{1,19}$/.test(value) ? Number(value) : value;
      return typeof n === "number" && Number.isInteger(n) && Math.abs(n) < INT_RANGE[cast];
    }
    case "float8":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "text":
      return typeof value === "string" && value.length <= 500 && !value.includes("\u0000");
    case "timestamptz":
      return typeof value === "string" && value.length <= 40 && !Number.isNaN(Date.parse(value));
    default:
      return false;
  }
}

function decodeCursor(cursor: string | undefined, casts: readonly string[]): unknown[] | null {
  if (!cursor) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return Array.isArray(values) && values.length === casts.length && values.every((v, i) => fitsCast(v, casts[i]))
      ? values
      : null;
  } catch {
    return null;
  }
}

/** True when the request walks backwards (a "previous page" link). */
function isBackward(req: PageRequest): boolean {
  return Boolean(req.before) && !req.after;
}

/**
 * WHERE fragment for the page after (or before) the cursor. `keys` are SQL expressions matching the
 * ORDER BY; `casts` give each cursor value's SQL type (cursor values arrive as JSON).
 */
export function keysetCondition(
  req: PageRequest,
  keys: readonly SQL[],
  casts: readonly string[],
  dir: SortDir,
): SQL | undefined {
  const backward = isBackward(req);
  const values = decodeCursor(backward ? req.before : req.after, casts);
  if (!values) return undefined;
  const forwardOp = dir === "asc" ? ">" : "<";
  const op = backward ? (forwardOp === ">" ? "<" : ">") : forwardOp;
  const left = sql.join([...keys], sql`, `);
  const right = sql.join(
    values.map((v, i) => sql`${v}::${sql.raw(casts[i])}`),
    sql`, `,
  );
  return sql`(${left}) ${sql.raw(op)} (${right})`;
}

/** ORDER BY for the request: reversed when walking backwards (rows are flipped back in toPage). */
export function keysetOrder(req: PageRequest, keys: readonly SQL[], dir: SortDir): SQL {
  const effective = isBackward(req) ? (dir === "asc" ? "desc" : "asc") : dir;
  return sql.join(
    keys.map((k) => sql`${k} ${sql.raw(effective)}`),
    sql`, `,
  );
}

/** Turns rows fetched with `limit + 1` into a page with next/prev cursors. */
export function toPage<T>(rows: T[], req: PageRequest, keyOf: (row: T) => unknown[]): Page<T> {
  const backward = isBackward(req);
  const hasMore = rows.length > req.limit;
  const items = rows.slice(0, req.limit);
  if (backward) items.reverse();
  const first = items[0];
  const last = items[items.length - 1];
  const hasNext = backward ? true : hasMore;
  const hasPrev = backward ? hasMore : Boolean(req.after);
  return {
    items,
    next: hasNext && last ? encodeCursor(keyOf(last)) : null,
    prev: hasPrev && first ? encodeCursor(keyOf(first)) : null,
  };
}
