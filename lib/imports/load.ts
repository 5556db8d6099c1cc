import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { importRows, importRuns } from "@/db/schema";
import { type Actor, authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { Invalid, NotFound } from "@/lib/errors";
import { kindOf } from "./registry";
import type { AnyImportKind, FileError, RowStatus, RunInfo, RunStatus, StoredRow } from "./types";

export type RunRecord = typeof importRuns.$inferSelect;

/** A kind's params or options, parsed with its schema: a mistake is Invalid with the field that is wrong. */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const flat = z.flattenError(parsed.error);
  const fieldErrors = flat.fieldErrors as Record<string, string[]>;
  const first = flat.formErrors[0] ?? Object.entries(fieldErrors).map(([k, v]) => `${k}: ${v[0]}`)[0];
  throw new Invalid(first ? `Invalid input — ${first}` : "Invalid input.", fieldErrors);
}

/**
 * The one way the pipeline reads a run: it must exist, the viewer must hold its kind's permission, and the
 * kind may narrow who sees it further (a run the viewer may not see is NotFound, as if it did not exist).
 */
export async function loadRun(ctx: Ctx, runId: number, opts: { lock?: boolean } = {}) {
  const query = ctx.db.select().from(importRuns).where(eq(importRuns.id, runId));
  const [run] = opts.lock ? await query.for("update") : await query;
  if (!run) throw new NotFound("That import");
  const kind = kindOf(run.kind);
  authorize(ctx.actor, kind.permission);
  if (kind.canView && !kind.canView(ctx.actor, toInfo(run))) throw new NotFound("That import");
  return { run, kind };
}

/**
 * Whether `actor` started the run: the same identity, or — for actors without one (the CLI's system actor, a
 * machine client) — the same name, so one id-less actor can never upload into or discard another's run.
 */
export function isStarter(run: RunRecord, actor: Actor): boolean {
  return run.startedById !== null
    ? run.startedById === actor.id
    : actor.id === null && run.startedByLabel === actor.name;
}

export function toInfo(run: RunRecord): RunInfo {
  return {
    id: run.id,
    kind: run.kind,
    source: run.source,
    fileName: run.fileName,
    fileDigest: run.fileDigest,
    params: run.params,
    rowsRead: run.rowsRead,
    rowsOk: run.rowsOk,
    rowsError: run.rowsError,
    rowsSkipped: run.rowsSkipped,
    startedById: run.startedById,
    summary: (run.summary ?? {}) as Record<string, unknown>,
  };
}

/** A run as the page and the CLI see it: status, counters, file errors and the kind's summary. */
export type RunView = {
  id: number;
  kind: string;
  label: string;
  source: "ui" | "cli";
  status: RunStatus;
  fileName: string | null;
  fileBytes: number;
  maxBytes: number;
  digest: string | null;
  params: unknown;
  startedBy: string;
  startedAt: string;
  parsedAt: string | null;
  appliedBy: string | null;
  appliedAt: string | null;
  counts: { read: number; ok: number; error: number; skipped: number; applied: number };
  /** Rows by the kind's finer code (duplicate, open_case, new, changed…). */
  codes: Record<string, number>;
  fileErrors: FileError[];
  summary: Record<string, unknown>;
  error: string | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toView(run: RunRecord, kind: AnyImportKind): RunView {
  const summary = (run.summary ?? {}) as Record<string, unknown>;
  return {
    id: run.id,
    kind: run.kind,
    label: kind.label,
    source: run.source,
    status: run.status,
    fileName: run.fileName,
    fileBytes: Number(run.fileBytes),
    maxBytes: kind.maxBytes,
    digest: run.fileDigest,
    params: run.params,
    startedBy: run.startedByLabel,
    startedAt: run.createdAt.toISOString(),
    parsedAt: iso(run.parsedAt),
    appliedBy: run.appliedByLabel,
    appliedAt: iso(run.appliedAt),
    counts: {
      read: run.rowsRead,
      ok: run.rowsOk,
      error: run.rowsError,
      skipped: run.rowsSkipped,
      applied: run.rowsApplied,
    },
    codes: (summary.codes ?? {}) as Record<string, number>,
    fileErrors: (run.fileErrors ?? []) as FileError[],
    summary,
    error: run.error,
  };
}

export function toStored(r: typeof importRows.$inferSelect): StoredRow {
  return {
    seq: r.seq,
    line: r.line,
    pointer: r.pointer,
    status: r.status,
    code: r.code,
    message: r.message,
    key: r.key,
    targetId: r.targetId === null ? null : Number(r.targetId),
    targetLabel: r.targetLabel,
    data: (r.data ?? {}) as Record<string, unknown>,
  };
}

/** Counters recomputed from the rows themselves (after set-based checks moved rows between statuses). */
export async function countRows(db: Db, runId: number) {
  const rows = await db
    .select({ status: importRows.status, code: importRows.code, n: sql<number>`count(*)::int` })
    .from(importRows)
    .where(eq(importRows.runId, runId))
    .groupBy(importRows.status, importRows.code);
  const by: Record<RowStatus, number> = { ok: 0, error: 0, skipped: 0 };
  const codes: Record<string, number> = {};
  for (const r of rows) {
    by[r.status] += Number(r.n);
    if (r.code) codes[r.code] = (codes[r.code] ?? 0) + Number(r.n);
  }
  return { rowsOk: by.ok, rowsError: by.error, rowsSkipped: by.skipped, codes };
}
