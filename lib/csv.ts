import { stringify } from "csv-stringify/sync";

/** Exports are UTC ISO-8601, whatever the viewer's zone, so files compare across teams and tools. */
export function utc(value: Date | string | null | undefined): string {
  if (!value) return "";
  return (typeof value === "string" ? new Date(value) : value).toISOString();
}

/**
 * Cells a spreadsheet would run as a formula (OWASP "CSV injection"): text starting with =, +, -, @, tab or carriage
 * return. Such text is exported with a leading apostrophe, which spreadsheets show as text and never evaluate. Numbers
 * and dates are left alone (a negative number is a number, not a formula); only text can carry one.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function safeCell(value: unknown): unknown {
  return typeof value === "string" && FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * A streamed CSV download: rows come from an async generator (keyset batches), so a 100k-row export
 * never sits in memory at once.
 */
export function csvResponse(filename: string, header: string[], rows: AsyncIterable<readonly unknown[]>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        controller.enqueue(encoder.encode(stringify([header])));
        for await (const row of rows) controller.enqueue(encoder.encode(stringify([row.map(safeCell)])));
        controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}

/** Walks every page of a keyset-paginated query. */
export async function* allPages<T>(
  fetchPage: (after: string | undefined) => Promise<{ items: T[]; next: string | null }>,
): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const page = await fetchPage(after);
    yield* page.items;
    if (!page.next) return;
    after = page.next;
  }
}
