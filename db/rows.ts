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

/**
 * int8 and numeric arrive as strings (node-postgres) or bigint; those become numbers. Nothing else is coerced:
 * `z.coerce` would turn NULL into 0 (and a timestamp NULL into 1970), which is a cast by another name.
 */
const toNumber = (v: unknown) => ((typeof v === "string" && v.trim() !== "") || typeof v === "bigint" ? Number(v) : v);
const toDate = (v: unknown) => (typeof v === "string" || typeof v === "number" ? new Date(v) : v);
const orNull = (v: unknown) => (v === undefined ? null : v);
const date = z.preprocess(toDate, z.date());
const dateOrNull = z.preprocess((v) => toDate(orNull(v)), z.date().nullable());

export const col = {
  int: z.preprocess(toNumber, z.number().int()),
  intOrNull: z.preprocess(toNumber, z.number().int().nullable()),
  num: z.preprocess(toNumber, z.number()),
  numOrNull: z.preprocess((v) => toNumber(orNull(v)), z.number().nullable()),
  text: z.string(),
  textOrNull: z.string().nullable(),
  bool: z.boolean(),
  date,
  dateOrNull,
  /** A timestamp as the ISO string DTOs carry (either driver may hand back a Date or a string). */
  iso: date.transform((d) => d.toISOString()),
  isoOrNull: dateOrNull.transform((d) => d?.toISOString() ?? null),
  /** A jsonb value, parsed with the given schema. */
  json: <S extends z.ZodType>(schema: S) => json.pipe(schema),
  /** A text[] column. */
  textArray: array(z.string()),
  /** An array column whose elements the item schema parses (e.g. `z.enum(dataClass.enumValues)`). */
  array,
};
