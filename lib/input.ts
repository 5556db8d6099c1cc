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

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar day, YYYY-MM-DD, that exists. JavaScript's Date quietly rolls an impossible one over (2026-02-30 is
 * read as 2 March), so the parts are compared after parsing.
 */
export function isCalendarDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** An instant from text (ISO 8601 or what Date reads), or null when it is not one — an impossible day included. */
export function parseInstant(value: string): Date | null {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  return day && !isCalendarDay(day[1]) ? null : d;
}

/** A form's calendar day (YYYY-MM-DD) that exists. */
export const calendarDay = (message: string) => z.string().trim().refine(isCalendarDay, message);

/**
 * A calendar day as `YYYY-MM-DD` that exists: "2026-02-30" matches the pattern but is no day, and passed on to
 * PostgreSQL as `::date` it fails the query (a 500) instead of being refused.
 */
export const isoDay = z.string().regex(DAY, "Dates are YYYY-MM-DD.").refine(isCalendarDay, "That day does not exist.");

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
