import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { loadRun } from "./load";
import { listRows } from "./runs";

/** The error report of an import: every row that was not imported, with its line (or pointer) and why. */
export const NOT_IMPORTED_CSV_HEADER = ["line", "pointer", "key", "status", "code", "reason", "target"];

/**
 * The report's rows. The run is looked up (and the caller's right to it checked) before anything is streamed: a
 * missing or foreign run is a 404, not a CSV cut off after its header.
 */
export async function notImportedCsvRows(ctx: Ctx, runId: number): Promise<AsyncGenerator<unknown[]>> {
  authorize(ctx.actor, "imports.run");
  await loadRun(ctx, runId);
  return rows(ctx, runId);
}

async function* rows(ctx: Ctx, runId: number): AsyncGenerator<unknown[]> {
  // listRows authorizes (imports.run and the kind's permission) and pages in file order.
  let after = 0;
  for (;;) {
    const page = await listRows(ctx, { runId, filter: "not_ok", after, limit: 1000 });
    for (const r of page.rows) yield [r.line, r.pointer, r.key, r.status, r.code, r.message, r.targetLabel];
    if (page.next === null) return;
    after = page.next;
  }
}
