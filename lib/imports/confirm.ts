import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { importRows, importRuns } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid, toFailure } from "@/lib/errors";
import { countRows, loadRun, parseWith, type RunRecord, type RunView, toInfo, toStored, toView } from "./load";
import type { confirmInput } from "./schemas";
import type { AnyImportKind, StoredRow } from "./types";

/** An apply claimed this long ago without finishing was abandoned (its process died): it may be claimed again. */
const STALE_APPLY_MS = 30 * 60_000;
const PAGE = 1_000;

/**
 * Applies a previewed run exactly as previewed: the caller names the run and the digest of the file they saw.
 * Refused with Conflict when the digest differs, when the run is not `previewed`, or when someone (the caller
 * included) already applied it; with Invalid when the file has file errors, when a kind whose errors block
 * has any, or when there is nothing to apply. The kind writes its ok rows and its audit events in one
 * transaction with the pipeline's own `import.apply` event: everything or nothing. A failed apply leaves the
 * run `failed` with the reason and writes nothing else.
 */
export async function confirmRun(ctx: Ctx, input: z.output<typeof confirmInput>): Promise<RunView> {
  authorize(ctx.actor, "imports.run");
  const { kind } = await loadRun(ctx, input.runId);
  const options = parseWith(kind.options, input.options ?? {});
  const token = randomUUID();
  await claim(ctx, kind, input, options, token);
  try {
    return await transact(ctx, async (tx) => {
      const { run } = await loadRun(tx, input.runId, { lock: true });
      if (run.status !== "applying" || run.claimToken !== token)
        throw new Conflict("Someone else took over applying this import; reload it.");
      const info = toInfo(run);
      const state = await kind.prepare(tx, info);
      const result = await kind.apply({ ctx: tx, run: info, options, state, okRows: () => okRows(tx.db, run.id) });
      if (result.skipped?.length) {
        await tx.db.execute(sql`
          UPDATE import_rows r SET status = 'skipped', code = x.code, message = x.message
            FROM jsonb_to_recordset(${JSON.stringify(result.skipped)}::jsonb) AS x(seq int, code text, message text)
           WHERE r.run_id = ${run.id} AND r.seq = x.seq AND r.status = 'ok'`);
      }
      const counts = await countRows(tx.db, run.id);
      const [applied] = await tx.db
        .update(importRuns)
        .set({
          status: "applied",
          rowsApplied: result.applied,
          rowsOk: counts.rowsOk,
          rowsError: counts.rowsError,
          rowsSkipped: counts.rowsSkipped,
          summary: { ...info.summary, codes: counts.codes, result: result.result ?? {} },
          claimToken: null,
          appliedAt: tx.now,
          updatedAt: tx.now,
        })
        .where(eq(importRuns.id, run.id))
        .returning();
      await writeAudit(tx, {
        action: "import.apply",
        target: { type: "import_run", id: run.id, label: run.fileName ?? kind.label },
        after: {
          kind: kind.kind,
          applied: result.applied,
          ok: counts.rowsOk,
          error: counts.rowsError,
          skipped: counts.rowsSkipped,
        },
        metadata: { digest: run.fileDigest, source: run.source, params: run.params, options },
      });
      return toView(applied, kind);
    });
  } catch (err) {
    await failApply(ctx, input.runId, token, err);
    throw err;
  }
}

/**
 * Marks the run `applying` in its own short transaction, after every check, so a second confirmer (another
 * person, or the same one twice) is refused at once instead of waiting behind the apply.
 */
async function claim(
  ctx: Ctx,
  kind: AnyImportKind,
  input: z.output<typeof confirmInput>,
  options: unknown,
  token: string,
) {
  await transact(ctx, async (tx) => {
    const { run } = await loadRun(tx, input.runId, { lock: true });
    refuse(tx, run, kind, input.digest);
    if (kind.errorsBlock && run.rowsError > 0) {
      const errors = await tx.db
        .select()
        .from(importRows)
        .where(and(eq(importRows.runId, run.id), eq(importRows.status, "error")))
        .orderBy(asc(importRows.seq))
        .limit(50);
      const n = run.rowsError;
      throw new Invalid(`The ${kind.noun} has ${n} problem${n === 1 ? "" : "s"}; nothing was imported.`, {
        [kind.noun]: errors.map((e) => `${e.pointer ?? `line ${e.line}`}: ${e.message}`),
      });
    }
    if (kind.hasWork ? !kind.hasWork(toInfo(run), options) : run.rowsOk === 0)
      throw new Invalid(`No row of this ${kind.noun} can be imported.`);
    await tx.db
      .update(importRuns)
      .set({
        status: "applying",
        claimToken: token,
        appliedById: tx.actor.id,
        appliedByLabel: tx.actor.name,
        applyStartedAt: tx.now,
        error: null,
        updatedAt: tx.now,
      })
      .where(eq(importRuns.id, run.id));
  });
}

function refuse(ctx: Ctx, run: RunRecord, kind: AnyImportKind, digest: string) {
  const when = (d: Date | null) => (d ? `${d.toISOString().replace("T", " ").slice(0, 16)} UTC` : "earlier");
  const byMe = run.appliedById !== null && run.appliedById === ctx.actor.id;
  if (run.status === "applied")
    throw new Conflict(
      byMe
        ? `You already applied this import (${when(run.appliedAt)}); it is never applied twice.`
        : `${run.appliedByLabel ?? "Someone"} already applied this import (${when(run.appliedAt)}).`,
    );
  const abandoned =
    run.status === "applying" && (run.applyStartedAt?.getTime() ?? 0) < ctx.now.getTime() - STALE_APPLY_MS;
  if (run.status === "applying" && !abandoned)
    throw new Conflict(`${byMe ? "You are" : `${run.appliedByLabel ?? "Someone"} is`} applying this import right now.`);
  if (run.status === "parsing") throw new Conflict(`The ${kind.noun} is still being read; wait for the preview.`);
  if (run.status === "failed")
    throw new Conflict(`This import failed (${run.error ?? "no reason recorded"}); upload the ${kind.noun} again.`);
  if (run.status === "discarded") throw new Conflict(`This import was discarded; upload the ${kind.noun} again.`);
  if (run.fileDigest !== digest) throw new Conflict(`The ${kind.noun} changed since the preview; preview it again.`);
  const fileErrors = (run.fileErrors ?? []) as { message: string }[];
  if (fileErrors.length) throw new Invalid(fileErrors.map((e) => e.message).join(" "));
}

async function* okRows(db: Db, runId: number): AsyncGenerator<StoredRow[]> {
  let after = 0;
  for (;;) {
    const page = await db
      .select()
      .from(importRows)
      .where(and(eq(importRows.runId, runId), eq(importRows.status, "ok"), gt(importRows.seq, after)))
      .orderBy(asc(importRows.seq))
      .limit(PAGE);
    if (!page.length) return;
    yield page.map(toStored);
    after = page[page.length - 1].seq;
  }
}

/** The apply rolled back: the run says so (only if our claim still holds it) and can be uploaded again. */
async function failApply(ctx: Ctx, runId: number, token: string, err: unknown) {
  // A typed error keeps its message; anything else is logged by toFailure and told in general words.
  const failure = toFailure(err);
  const message =
    failure.code === "internal" ? "Applying failed; nothing was written. The error was logged." : failure.message;
  await ctx.db
    .update(importRuns)
    .set({ status: "failed", error: message, claimToken: null, updatedAt: ctx.now })
    .where(and(eq(importRuns.id, runId), eq(importRuns.status, "applying"), eq(importRuns.claimToken, token)));
}
