import type { Readable } from "node:stream";
import Papa from "papaparse";

export type CsvItem =
  | { type: "header"; fields: string[] }
  | { type: "record"; line: number; values: Record<string, string>; blank: boolean };

/**
 * A CSV file as a stream: the header (names passed through `transformHeader`), then one record at a time with
 * the line it starts on — papaparse's Node stream mode, so a 100k-row file is never one string or one array.
 * Lines count the newlines inside quoted values, so a multi-line address does not shift later line numbers.
 */
export async function* csvItems(
  input: Readable,
  opts: { transformHeader?: (name: string) => string } = {},
): AsyncGenerator<CsvItem> {
  const parser = input.pipe(Papa.parse(Papa.NODE_STREAM_INPUT, { header: false, skipEmptyLines: false }));
  input.once("error", (err) => parser.destroy(err));
  const newlines = (fields: string[]) =>
    fields.reduce((n, f) => n + (f.includes("\n") ? f.split("\n").length - 1 : 0), 0);
  let fields: string[] | null = null;
  let line = 1;
  try {
    for await (const raw of parser as AsyncIterable<string[]>) {
      if (!fields) {
        fields = raw.map((h) => (opts.transformHeader ? opts.transformHeader(h) : h));
        line += 1 + newlines(raw);
        yield { type: "header", fields };
        continue;
      }
      const values: Record<string, string> = {};
      fields.forEach((name, i) => {
        if (!(name in values)) values[name] = raw[i] ?? "";
      });
      yield { type: "record", line, values, blank: raw.every((v) => v.trim() === "") };
      line += 1 + newlines(raw);
    }
  } finally {
    // Stopping early (a file error) must not leave the upload half-read and the parser waiting.
    if (!input.destroyed) input.destroy();
  }
  if (!fields) yield { type: "header", fields: [] };
}
