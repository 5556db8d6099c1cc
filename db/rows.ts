import { z } from "zod";

/**
 * Column parsers for rows of raw SQL (queryRows with a schema). The two drivers disagree — node-postgres returns
 * int8 and numeric as strings and jsonb parsed, PGlite may return bigint or a JSON string — so every raw row is
 * parsed into one shape instead of being cast.
 */
const json = z.preprocess((v) => (typeof v === "string" ? JSON.parse(v) : v), z.unknown());

export const col = {
  int: z.coerce.number().int(),
  intOrNull: z.coerce.number().int().nullable(),
  num: z.coerce.number(),
  text: z.string(),
  textOrNull: z.string().nullable(),
  bool: z.boolean(),
  date: z.coerce.date(),
  dateOrNull: z.preprocess((v) => (v === null || v === undefined ? null : v), z.coerce.date().nullable()),
  /** A jsonb value, parsed with the given schema. */
  json: <S extends z.ZodType>(schema: S) => json.pipe(schema),
  /** A text[] column (node-postgres parses it; PGlite may hand back the `{a,b}` literal). */
  textArray: z.preprocess(
    (v) =>
      typeof v === "string"
        ? v
            .replace(/^\{|\}$/g, "")
            .split(",")
            .filter(Boolean)
        : v,
    z.array(z.string()),
  ),
};
