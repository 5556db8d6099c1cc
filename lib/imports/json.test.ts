import { Readable } from "node:stream";
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { type JsonItem, jsonItems } from "./json";

/** The document cut into small chunks, as an upload arrives (3 bytes at a time, across tokens and lines). */
async function items(doc: string, opts: Parameters<typeof jsonItems>[1] = {}): Promise<JsonItem[]> {
  const out: JsonItem[] = [];
  const chunks = doc.match(/[\s\S]{1,3}/g) ?? [];
  for await (const item of jsonItems(Readable.from(chunks), opts)) out.push(item);
  return out;
}

describe("jsonItems: a JSON document as a stream of records", () => {
  it("hands over a Graph page's records with their pointer and line, and the page's own members as meta", async () => {
    const doc = '{"@odata.context":"x",\n"value":[{"a":1},\n{"b":[2,3]}],\n"@odata.nextLink":"https://next"}';
    expect(await items(doc, { listKey: "value" })).toEqual([
      { type: "meta", key: "@odata.context", value: "x" },
      { type: "record", pointer: "/value/0", line: 2, key: 0, value: { a: 1 } },
      { type: "record", pointer: "/value/1", line: 3, key: 1, value: { b: [2, 3] } },
      { type: "meta", key: "@odata.nextLink", value: "https://next" },
    ]);
  });

  it("reads a root array, and an object keyed by name with escaped pointers", async () => {
    expect((await items('[{"x":1},\n {"x":2}]')).map((i) => i.type === "record" && [i.pointer, i.line])).toEqual([
      ["/0", 1],
      ["/1", 2],
    ]);
    const keyed = await items('{"a/b":[1],\n"c~d":[]}', { objectRecords: true });
    expect(keyed.map((i) => i.type === "record" && [i.pointer, i.key, i.line])).toEqual([
      ["/a~1b", "a/b", 1],
      ["/c~0d", "c~d", 2],
    ]);
  });

  it("stops at the first syntax error, saying where and what", async () => {
    const errors = async (doc: string, opts = {}) => (await items(doc, opts)).filter((i) => i.type === "error");
    expect(await errors('[{"x":1}\n {"x":2}]')).toEqual([
      { type: "error", message: 'Invalid JSON at line 2, column 2: expected "," or the end of the list, found "{".' },
    ]);
    expect(await errors('[{"x":1},\n{"x":tru}]')).toEqual([
      { type: "error", message: "Invalid JSON in the value at line 2, column 1: unexpected token '}'." },
    ]);
    expect((await errors('[{"x":1},{"x":2}'))[0]).toMatchObject({ message: expect.stringMatching(/cut short/) });
    // Inside a record, JSON.parse says what is wrong and where, counted from the record's own line.
    expect(await errors('[{"x":1},\n{"x":\n["a" "b"]}]')).toEqual([
      { type: "error", message: "Invalid JSON at line 3, column 6: expected ',' or ']' after array element." },
    ]);
    expect((await errors("  "))[0]).toMatchObject({ message: "The file is empty: expected a JSON array." });
    expect((await errors("name,x\n"))[0]).toMatchObject({ message: expect.stringMatching(/is not a JSON array/) });
    expect(await errors('{"values":[]}', { listKey: "value" })).toEqual([
      { type: "error", pointer: "/value", message: 'The document has no "value" array.' },
    ]);
  });

  it("never holds the list: 20,000 records pass with the heap growing by far less than the document", async () => {
    const record = JSON.stringify({
      userPrincipalName: "someone@example.com",
      methodsRegistered: ["mobilePhone", "fido2"],
      pad: "x".repeat(400),
    });
    async function* doc() {
      yield '{"value":[';
      for (let i = 0; i < 20_000; i++) yield (i ? "," : "") + record;
      yield "]}";
    }
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let n = 0;
    for await (const item of jsonItems(Readable.from(doc()), { listKey: "value" })) {
      if (item.type !== "record") continue;
      n++;
      if (n % 5_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
    }
    expect(n).toBe(20_000);
    // The document is ~9 MB; a reader that kept it (or its parsed records) would grow by more than that.
    expect(peak / 1e6, `heap grew ${(peak / 1e6).toFixed(1)} MB`).toBeLessThan(6);
  });
});
