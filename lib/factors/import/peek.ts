import { Readable } from "node:stream";

/**
 * The first non-blank character of a text stream, and a stream that still yields all of it (blank lines
 * included, so CSV line numbers stay right): how an adapter tells a JSON export from a CSV one without reading
 * more than the first chunk.
 */
export async function peekFirstChar(input: Readable): Promise<{ first: string | null; stream: Readable }> {
  const it = (input as AsyncIterable<string | Buffer>)[Symbol.asyncIterator]();
  const head: string[] = [];
  let first: string | null = null;
  let ended = false;
  while (first === null) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    const text = String(next.value);
    head.push(text);
    const m = /\S/.exec(text);
    if (m) first = m[0];
  }
  async function* all() {
    try {
      yield* head;
      if (ended) return;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield String(next.value);
      }
    } finally {
      // Stopped early (a file error): let the upload stop too.
      if (!input.destroyed) input.destroy();
    }
  }
  return { first, stream: Readable.from(all(), { objectMode: false, encoding: "utf8" }) };
}
