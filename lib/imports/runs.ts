import "server-only";
import { and, asc, eq, gt, inArray, ne } from "drizzle-orm";
import type { z } from "zod";
import { importRows, importRuns } from "@/db/schema";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Forbidden } from "@/lib/errors";
import { isStarter, loadRun, parseWith, type RunView, toStored, toView } from "./load";
import { kindOf } from "./registry";
import type { rowsInput, runInput, startInput } from "./schemas";
import type { StoredRow } from "./types";

/**
 * Starts a run of a kind: checks the kind's permission and its parameters (a system that exists), and records
 * who started it. The file comes next, through `ingest`. Writes nothing outside the run tables.
 */
export async function startRun(
  ctx: Ctx,
  input: z.input<typeof startInput> & { source: "ui" | "cli" },
): Promise<RunView> {
  authorize(ctx.actor, "imports.run");
  const kind = kindOf(input.kind);
  authorize(ctx.actor, kind.permission);
  const params = parseWith(kind.params, input.params ?? {});
  await kind.prepare(ctx, {
    id: 0,
    kind: kind.kind,
    source: input.source,
    fileName: input.fileName ?? null,
    fileDigest: null,
    params,
    rowsRead: 0,
    rowsOk: 0,
    rowsError: 0,
    rowsSkipped: 0,
    startedById: ctx.actor.id,
    summary: {},
  });
  const [run] = await ctx.db
    .insert(importRuns)
    .values({
      kind: kind.kind,
      source: input.source,
      params,
      fileName: input.fileName ?? null,
      startedById: ctx.actor.id,
      startedByLabel: ctx.actor.name,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  return toView(run, kind);
}

/** A run's status and counters: what the page polls while a big file is read. */
export async function getRun(ctx: Ctx, input: z.output<typeof runInput>): Promise<RunView> {
  authorize(ctx.actor, "imports.run");
  const { run, kind } = await loadRun(ctx, input.runId);
  return toView(run, kind);
}

const FILTERS = {
  all: undefined,
  ok: eq(importRows.status, "ok"),
  error: eq(importRows.status, "error"),
  skipped: eq(importRows.status, "skipped"),
  not_ok: ne(importRows.status, "ok"),
} as const;

/** One page of a run's rows in file order (keyset on `seq`), optionally only one status or every problem. */
export async function listRows(
  ctx: Ctx,
  input: z.output<typeof rowsInput>,
): Promise<{ rows: StoredRow[]; next: number | null }> {
  authorize(ctx.actor, "imports.run");
  const { kind } = await loadRun(ctx, input.runId);
  const rows = await ctx.db
    .select()
    .from(importRows)
    .where(and(eq(importRows.runId, input.runId), gt(importRows.seq, input.after), FILTERS[input.filter]))
    .orderBy(asc(importRows.seq))
    .limit(input.limit + 1);
  const hidden = kind.hiddenFields ?? [];
  const page = rows.slice(0, input.limit).map((r) => {
    const row = toStored(r);
    for (const f of hidden) if (f in row.data) row.data[f] = true;
    return row;
  });
  return { rows: page, next: rows.length > input.limit ? page[page.length - 1].seq : null };
}

/** Throws a preview away (its rows with it). Applied runs stay: they are the record of what was written. */
export async function discardRun(ctx: Ctx, input: z.output<typeof runInput>): Promise<RunView> {
  authorize(ctx.actor, "imports.run");
  return transact(ctx, async (tx) => {
    const { run, kind } = await loadRun(tx, input.runId, { lock: true });
    if (!isStarter(run, tx.actor)) throw new Forbidden("Only the person who started an import can discard it.");
    if (run.status === "applied" || run.status === "applying")
      throw new Conflict(
        `This import was ${run.status === "applied" ? "applied" : "being applied"}; it cannot be discarded.`,
      );
    if (run.status === "discarded") return toView(run, kind);
    const [updated] = await tx.db
      .update(importRuns)
      .set({ status: "discarded", claimToken: null, updatedAt: tx.now })
      .where(and(eq(importRuns.id, run.id), inArray(importRuns.status, ["parsing", "previewed", "failed"])))
      .returning();
    await tx.db.delete(importRows).where(eq(importRows.runId, run.id));
    return toView(updated, kind);
  });
}
