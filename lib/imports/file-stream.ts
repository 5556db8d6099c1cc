import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { Invalid } from "@/lib/errors";
import { formatBytes } from "./format";

/** The upload is over the kind's limit: the route answers 413 and the run keeps nothing. */
export class TooLarge extends Invalid {
  constructor(readonly limit: number) {
    super(`The file is larger than ${formatBytes(limit)}.`);
  }
}

/**
 * Wraps the uploaded bytes: counts them against the limit (failing the stream beyond it), hashes them as they
 * pass (the digest confirm is bound to) and decodes UTF-8 across chunk boundaries, dropping a byte-order mark.
 * Nothing here holds more than one chunk.
 */
export function fileStream(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, limit: number) {
  const hash = createHash("sha256");
  let bytes = 0;
  let digest: string | null = null;
  const decoder = new TextDecoder("utf-8");
  async function* decode() {
    for await (const chunk of source) {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      bytes += buf.byteLength;
      if (bytes > limit) throw new TooLarge(limit);
      hash.update(buf);
      const text = decoder.decode(buf, { stream: true });
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
    digest = hash.digest("hex");
  }
  return {
    text: Readable.from(decode(), { objectMode: false, encoding: "utf8" }),
    bytes: () => bytes,
    /** The sha256 of every byte once the stream has ended; null when reading stopped early (a file error). */
    digest: () => digest,
  };
}
