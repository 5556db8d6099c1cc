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
