import { z } from "zod";

/**
 * Column parsers for rows of raw SQL (queryRows with a schema). The two drivers disagree — node-postgres returns
 * int8 and numeric as strings and jsonb parsed, PGlite may return bigint or a JSON string — so every raw row is
 * parsed into one shape instead of being cast.
 */
const json = z.preprocess((v) => (typeof v === "string" ? JSON.parse(v) : v), z.unknown());

/**
 * A one-dimensional Postgres array literal (`{a,"b,c",NULL}`), which PGlite hands back for arrays of types it does
 * not know (enum arrays); node-postgres parses arrays itself.
 */
function parseArrayLiteral(v: unknown): unknown {
  if (typeof v !== "string" || !v.startsWith("{")) return v;
  const out: (string | null)[] = [];
  const body = v.slice(1, -1);
  let i = 0;
  while (i < body.length) {
    if (body[i] === '"') {
      let s = "";
      for (i++; i < body.length && body[i] !== '"'; i++) s += body[i] === "\\" ? body[++i] : body[i];
      out.push(s);
      i += 2; // closing quote and comma
    } else {
      const end = body.indexOf(",", i);
      const s = body.slice(i, end < 0 ? body.length : end);
      out.push(s === "NULL" ? null : s);
      i = end < 0 ? body.length : end + 1;
    }
  }
  return out;
}

const array = <S extends z.ZodType>(item: S) => z.preprocess(parseArrayLiteral, z.array(item));
const dateOrNull = z.preprocess((v) => (v === null || v === undefined ? null : v), z.coerce.date().nullable());

export const col = {
  int: z.coerce.number().int(),
  intOrNull: z.coerce.number().int().nullable(),
  num: z.coerce.number(),
  numOrNull: z.preprocess((v) => (v === null || v === undefined ? null : v), z.coerce.number().nullable()),
  text: z.string(),
  textOrNull: z.string().nullable(),
  bool: z.boolean(),
  date: z.coerce.date(),
  dateOrNull,
  /** A timestamp as the ISO string DTOs carry (either driver may hand back a Date or a string). */
  iso: z.coerce.date().transform((d) => d.toISOString()),
  isoOrNull: dateOrNull.transform((d) => d?.toISOString() ?? null),
  /** A jsonb value, parsed with the given schema. */
  json: <S extends z.ZodType>(schema: S) => json.pipe(schema),
  /** A text[] column. */
  textArray: array(z.string()),
  /** An array column whose elements the item schema parses (e.g. `z.enum(dataClass.enumValues)`). */
  array,
};
