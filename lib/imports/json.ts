import type { Readable } from "node:stream";
import { Tokenizer, TokenParser } from "@streamparser/json";

/**
 * A JSON document as a stream of its records, for import kinds whose exports are one large JSON document (a
 * Graph list page of 100k users): @streamparser/json tokenizes the bytes as they arrive and hands over one record
 * at a time, dropping it once handed over, so the document is never one string or one object in memory.
 *
 * - a root array: each element is a record, at `/0`, `/1`…;
 * - a root object with `listKey` (Graph's `{ "value": [...] }`): each element of that array is a record, at
 *   `/value/0`…; the root's other scalar members (`@odata.nextLink`) arrive as `meta`;
 * - a root object otherwise, when `objectRecords` is set (`{ "<login>": [...] }`): each member is a record,
 *   at `/<key>` (RFC 6901 escaping).
 * A syntax error stops the stream with an `error` that says where (line and column) and what was found.
 */
export type JsonItem =
  | { type: "record"; pointer: string; line: number; key: string | number; value: unknown }
  | { type: "meta"; key: string; value: unknown }
  | { type: "error"; message: string; pointer?: string };

// @streamparser/json's TokenType (a declared enum).
const T = {
  LEFT_BRACE: 0,
  RIGHT_BRACE: 1,
  LEFT_BRACKET: 2,
  RIGHT_BRACKET: 3,
  COLON: 4,
  COMMA: 5,
  STRING: 9,
} as const;

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export const pointerSegment = (key: string | number) => String(key).replace(/~/g, "~0").replace(/\//g, "~1");

type Frame = { kind: "object" | "array"; expectKey: boolean; key: string | null };

export async function* jsonItems(
  input: Readable,
  opts: { listKey?: string; objectRecords?: boolean; describe?: string } = {},
): AsyncGenerator<JsonItem> {
  const describe = opts.describe ?? "a JSON array";
  const queue: JsonItem[] = [];
  const tokenizer = new Tokenizer();
  let parser: TokenParser | null = null;
  let failure: { message: string } | null = null;
  let rootDone = false;
  let sawList = false;

  // Where we are, in bytes and lines: tokens carry absolute byte offsets; newlines are counted once, forward.
  let chunk: Uint8Array = new Uint8Array(0);
  let chunkStart = 0;
  const cursor = { offset: 0, line: 1, lineStart: 0 };
  const advance = (offset: number) => {
    const end = Math.min(offset, chunkStart + chunk.length);
    for (let i = Math.max(cursor.offset, chunkStart); i < end; i++) {
      if (chunk[i - chunkStart] === 10) {
        cursor.line++;
        cursor.lineStart = i + 1;
      }
    }
    if (end > cursor.offset) cursor.offset = end;
  };
  const at = (offset: number) => {
    advance(offset);
    return { line: cursor.line, column: Math.max(1, offset - cursor.lineStart + 1) };
  };
  const fail = (message: string) => {
    if (!failure) failure = { message };
  };
  const notJson = () => `The file is not ${describe} (it starts with something else).`;
  const where = (offset: number) => {
    const p = at(offset);
    return `line ${p.line}, column ${p.column}`;
  };

  // The path of containers around the current token, and the line each record started on.
  const frames: Frame[] = [];
  let recordDepth = 1;
  let recordLine = 1;
  const keyedRoot = false;
  let lastOffset = 0;
  const startsRecord = () => {
    if (frames.length !== recordDepth) return false;
    const top = frames[frames.length - 1];
    if (opts.listKey && recordDepth === 2) return top.kind === "array" && frames[0].key === opts.listKey;
    return true;
  };

  tokenizer.onToken = (info) => {
    if (failure) return;
    lastOffset = info.offset;
    const { token } = info;
    if (!parser) {
      // The first token says what the document is, and so which values are records.
      let paths: string[];
      if (token === T.LEFT_BRACKET) paths = ["$.*"];
      else if (token === T.LEFT_BRACE && opts.listKey) {
        paths = [`$.${opts.listKey}.*`];
        recordDepth = 2;
      } else if (token === T.LEFT_BRACE && opts.objectRecords) paths = ["$.*"];
      else return fail(notJson());
      parser = new TokenParser({ paths, keepStack: false });
      parser.onValue = ({ value, key, stack }) => {
        const path = [...stack.slice(1).map((s) => s.key), key].map((k) => pointerSegment(k as string | number));
        queue.push({ type: "record", pointer: `/${path.join("/")}`, line: recordLine, key: key as string, value });
      };
      parser.onError = (err) => fail(parserMessage(err.message, where(lastOffset)));
      parser.onEnd = () => {
        rootDone = true;
      };
    }
    const top = frames[frames.length - 1];
    const isKey = top?.kind === "object" && top.expectKey && token === T.STRING;
    if (isKey) {
      top.key = String(info.value);
      top.expectKey = false;
      if (keyedRoot && frames.length === 1) recordLine = at(info.offset).line;
    } else if (token === T.COMMA) {
      if (top?.kind === "object") top.expectKey = true;
    } else if (token !== T.COLON && token !== T.RIGHT_BRACE && token !== T.RIGHT_BRACKET) {
      // A value starts here.
      if (startsRecord() && !keyedRoot) recordLine = at(info.offset).line;
      if (frames.length === 1 && top.kind === "object" && opts.listKey) {
        if (top.key === opts.listKey && token === T.LEFT_BRACKET) sawList = true;
        else if (token !== T.LEFT_BRACE && token !== T.LEFT_BRACKET)
          queue.push({ type: "meta", key: top.key ?? "", value: info.value });
      }
    }
    if (token === T.LEFT_BRACE) frames.push({ kind: "object", expectKey: true, key: null });
    else if (token === T.LEFT_BRACKET) frames.push({ kind: "array", expectKey: false, key: null });
    else if (token === T.RIGHT_BRACE || token === T.RIGHT_BRACKET) frames.pop();
    parser.write(info);
  };
  tokenizer.onError = (err) =>
    fail(parser ? tokenizerMessage(err.message, (offset) => where(offset), where(lastOffset)) : notJson());
  tokenizer.onEnd = () => {
    if (parser && !parser.isEnded) parser.end();
  };

  const drain = function* () {
    while (queue.length) yield queue.shift()!;
  };
  for await (const text of input as AsyncIterable<string | Buffer>) {
    chunk = typeof text === "string" ? Buffer.from(text) : text;
    try {
      tokenizer.write(chunk);
    } catch (err) {
      fail(parser ? tokenizerMessage((err as Error).message, (offset) => where(offset), where(lastOffset)) : notJson());
    }
    advance(chunkStart + chunk.length);
    chunkStart += chunk.length;
    yield* drain();
    if (failure) {
      yield { type: "error", message: (failure as { message: string }).message };
      if (!input.destroyed) input.destroy();
      return;
    }
  }
  if (!parser) {
    yield { type: "error", message: `The file is empty: expected ${describe}.` };
    return;
  }
  if (!rootDone) {
    yield {
      type: "error",
      message: `The JSON ends before the document is complete (line ${cursor.line}): the file was cut short.`,
    };
    return;
  }
  if (opts.listKey && recordDepth === 2 && !sawList)
    yield { type: "error", pointer: `/${opts.listKey}`, message: `The document has no "${opts.listKey}" array.` };
}

/** "Unexpected "x" at chunk position …(absolute position "17")…" → where it is and what was found. */
function tokenizerMessage(raw: string, where: (offset: number) => string, fallback: string): string {
  const m = /Unexpected "([\s\S]*?)" at chunk position "\d+" \(absolute position "(\d+)"\) in state (\w+)/.exec(raw);
  if (!m) return `Invalid JSON at ${fallback}.`;
  const found = m[1] === "\n" ? "a line break" : `"${m[1]}"`;
  if (m[3] === "ENDED")
    return `Invalid JSON at ${where(Number(m[2]))}: unexpected ${found} after the end of the document.`;
  return `Invalid JSON at ${where(Number(m[2]))}: unexpected ${found}.`;
}

/** "Unexpected RIGHT_BRACKET ("]") in state VALUE" → what was found, at the last token's place. */
function parserMessage(raw: string, where: string): string {
  const m = /Unexpected (?:partial )?(\w+) \((.*)\) in state (\w+)/.exec(raw);
  if (!m) return `Invalid JSON at ${where}.`;
  const expected: Record<string, string> = {
    VALUE: "a value",
    KEY: "a member name",
    COLON: '":"',
    COMMA: '"," or the end of the list',
  };
  return `Invalid JSON at ${where}: expected ${expected[m[3]] ?? "something else"}, found ${m[2]}.`;
}
