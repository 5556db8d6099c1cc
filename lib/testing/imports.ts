import { createHash } from "node:crypto";
import type { Ctx } from "@/lib/context";
import { ingest, listRows, type RunView, type StoredRow, startRun } from "@/lib/imports";

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Chunks of a string as an upload body arrives: bytes, split mid-character on purpose. */
export async function* bodyOf(text: string, chunk = 7): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
}

/** Starts a run and uploads `text` into it, as the page does (source ui). */
export async function previewText(
  ctx: Ctx,
  kind: string,
  text: string,
  opts: { fileName?: string; params?: unknown } = {},
): Promise<RunView> {
  const run = await startRun(ctx, {
    kind,
    source: "ui",
    fileName: opts.fileName ?? `test.${kind}`,
    params: opts.params,
  });
  return ingest(ctx, { runId: run.id, body: bodyOf(text) });
}

/** Every row of a run in file order. */
export async function allRows(ctx: Ctx, runId: number): Promise<StoredRow[]> {
  const out: StoredRow[] = [];
  let after = 0;
  for (;;) {
    const page = await listRows(ctx, { runId, filter: "all", after, limit: 1000 });
    out.push(...page.rows);
    if (page.next === null) return out;
    after = page.next;
  }
}
