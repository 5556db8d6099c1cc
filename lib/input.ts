import { z } from "zod";

/**
 * Input shapes every endpoint shares. An id in a JSON body is an integer and nothing else — never a boolean, an
 * array or a numeric-looking string that coercion would quietly turn into 1 — and fits PostgreSQL's int4/int8
 * columns. An id from a URL (a path segment or query string) is digits only.
 */
const MAX_ID = 2 ** 31 - 1;

export const id = z.number().int("Ids are whole numbers.").positive().max(MAX_ID, "That id is out of range.");
export const ids = z.array(id).min(1).max(1000);
export const idParam = z
  .string()
  .regex(/^\d{1,10}$/, "Ids are whole numbers.")
  .transform(Number)
  .pipe(id);

/**
 * An id from a server action's input, which arrives either as JSON (an integer) or from a form (a string of digits).
 * Anything else — `true`, `[1]`, `"1e0"`, `" 1"`, `"0x1"` — is refused, where `z.coerce.number()` would turn it into a
 * number and act on that record.
 */
export const idField = z.union([id, idParam], { error: "Ids are whole numbers." });
export const idFields = z.array(idField).min(1).max(1000);

/** Free text from a form: trimmed, no NUL bytes (PostgreSQL refuses them in text). */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !v.includes("\u0000"), "Text cannot contain NUL characters.");

/**
 * A calendar day as `YYYY-MM-DD` that exists: "2026-02-30" matches the pattern but is no day, and passed on to
 * PostgreSQL as `::date` it fails the query (a 500) instead of being refused.
 */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Dates are YYYY-MM-DD.")
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, "That day does not exist.");

/**
 * A page's query string, parsed leniently: what a hand-edited URL gets wrong (a negative limit, a 5,000-character
 * search, a NUL byte) is dropped, as an edited cursor is, and the page renders without it. Route handlers and
 * actions refuse the same input with a 400; a page has no one to answer but the reader.
 */
export function queryOf<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const first = schema.safeParse(raw);
  if (first.success) return first.data;
  const bad = new Set(first.error.issues.map((issue) => issue.path[0]));
  return schema.parse(Object.fromEntries(Object.entries(raw).filter(([key]) => !bad.has(key))));
}
