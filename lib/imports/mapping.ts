import { z } from "zod";

/**
 * Column mappings: which header of a file holds each field a kind reads. A mapped kind lists its fields
 * (`MappingField`); a run names the mapping it uses by its source (`params.mapping`): a mapping saved for the
 * kind (`import_mappings`, saved on the import page or by `saveMapping`), else a built-in preset of a common
 * export (Workday, BambooHR, Personio…), else none — then every field is looked up by its own name and aliases.
 * A required field that no header answers is a file error naming it.
 */
export type MappingField = {
  /** The field's own name, also a header that matches it without a mapping ("employee_number"). */
  name: string;
  label: string;
  required?: boolean;
  /** Header names that match the field without a mapping (compared trimmed and case-insensitively). */
  aliases?: readonly string[];
  /** One of these fields must be mapped (e.g. `login` or `email`): named by the group's label. */
  oneOf?: string;
};

/** field name → header name in the file. */
export type ColumnMapping = Record<string, string>;

export const mappingName = z.string().trim().min(1).max(80);
export const columnMapping = z
  .record(z.string().trim().min(1).max(60), z.string().trim().max(200))
  .transform((m) => Object.fromEntries(Object.entries(m).filter(([, h]) => h !== "")));

const norm = (h: string) => h.trim().toLowerCase();

/**
 * The header → field renaming for one file: the mapping's headers first, then each field's name and aliases.
 * Returns the header names each field was found under, and the required fields (or one-of groups) left unmapped.
 */
export function resolveHeaders(fields: readonly MappingField[], mapping: ColumnMapping, headers: readonly string[]) {
  const byHeader = new Map(headers.map((h) => [norm(h), h]));
  const found: Record<string, string> = {};
  for (const f of fields) {
    const candidates = [mapping[f.name], f.name, ...(f.aliases ?? [])].filter((h): h is string => Boolean(h));
    const mapped = mapping[f.name];
    // A header the mapping names is the only one that counts for that field: a wrong mapping is reported, not guessed.
    const hit = mapped ? byHeader.get(norm(mapped)) : candidates.map((c) => byHeader.get(norm(c))).find(Boolean);
    if (hit) found[f.name] = hit;
  }
  const missing: string[] = [];
  for (const f of fields) {
    if (f.required && !found[f.name])
      missing.push(mapping[f.name] ? `${f.label} (mapped to "${mapping[f.name]}", not in the file)` : f.label);
  }
  const groups = [...new Set(fields.map((f) => f.oneOf).filter((g): g is string => Boolean(g)))];
  for (const g of groups) if (!fields.some((f) => f.oneOf === g && found[f.name])) missing.push(g);
  return { found, missing };
}

/** The message of a file whose required fields no header answers. */
export const unmappedMessage = (missing: readonly string[]) =>
  `No column for ${missing.join(", ")}: map ${missing.length === 1 ? "it" : "them"} to a header of the file (or name the column so).`;

/** A record's values by field name, from a CSV record keyed by header. */
export function pick(values: Record<string, string>, found: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, header] of Object.entries(found)) out[field] = (values[header] ?? "").trim();
  return out;
}
