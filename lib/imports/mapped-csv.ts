import type { Readable } from "node:stream";
import { csvItems } from "./csv";
import { type ColumnMapping, type MappingField, pick, resolveHeaders, unmappedMessage } from "./mapping";

export type MappedItem =
  | { type: "fileError"; message: string }
  | { type: "record"; line: number; values: Record<string, string> };

/**
 * A CSV file read through a column mapping: one record at a time as `{ field: value }` (trimmed; a field without a
 * column is absent), blank lines dropped. A required field that no header answers is one file error naming every
 * such field, and reading stops. A header but no rows is a file error too.
 */
export async function* mappedCsv(
  input: Readable,
  fields: readonly MappingField[],
  mapping: ColumnMapping,
): AsyncGenerator<MappedItem> {
  let found: Record<string, string> = {};
  let rows = 0;
  for await (const item of csvItems(input)) {
    if (item.type === "header") {
      const resolved = resolveHeaders(fields, mapping, item.fields);
      if (resolved.missing.length) {
        yield { type: "fileError", message: unmappedMessage(resolved.missing) };
        return;
      }
      found = resolved.found;
      continue;
    }
    if (item.blank) continue;
    rows++;
    yield { type: "record", line: item.line, values: pick(item.values, found) };
  }
  if (rows === 0) yield { type: "fileError", message: "The file has a header but no rows." };
}
