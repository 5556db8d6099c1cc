import type { Readable } from "node:stream";
import type { z } from "zod";
import type { Actor, Permission } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import type { ColumnMapping, MappingField } from "./mapping";

export type RowStatus = "ok" | "error" | "skipped";
export type RunStatus = "parsing" | "previewed" | "applying" | "applied" | "failed" | "discarded";
export type FileError = { message: string; pointer?: string };

/** What a kind sees of its run: enough to parse, validate and apply, never the pipeline's bookkeeping. */
export type RunInfo<P = unknown> = {
  id: number;
  kind: string;
  source: "ui" | "cli";
  fileName: string | null;
  /** The sha256 of the uploaded bytes (null until the file has been read). */
  fileDigest: string | null;
  params: P;
  rowsRead: number;
  rowsOk: number;
  rowsError: number;
  rowsSkipped: number;
  startedById: number | null;
  summary: Record<string, unknown>;
};

/**
 * One item from a kind's parser. A `row` without a status goes to `validate`; a row that the parser already
 * judged (an error at a JSON pointer, an operation that is not tracked) is stored as it is. A `fileError`
 * rejects the whole file; `facts` (a document's title) are merged into the run's summary.
 */
export type Parsed =
  | {
      type: "row";
      line?: number;
      pointer?: string;
      key?: string | null;
      data: Record<string, unknown>;
      status?: Exclude<RowStatus, "ok">;
      code?: string;
      message?: string;
    }
  | { type: "fileError"; message: string; pointer?: string }
  | { type: "facts"; facts: Record<string, unknown> };

export type ParsedRow = Extract<Parsed, { type: "row" }>;

/** A kind's verdict on one row, in the order of the batch it was given. */
export type Checked = {
  status: RowStatus;
  code?: string | null;
  message?: string | null;
  key?: string | null;
  targetId?: number | null;
  targetLabel?: string | null;
  /** The normalised record that apply will read (replaces the parsed data). */
  data: Record<string, unknown>;
};

/** A stored row, as apply and the preview read it. */
export type StoredRow = {
  seq: number;
  line: number | null;
  pointer: string | null;
  status: RowStatus;
  code: string | null;
  message: string | null;
  key: string | null;
  targetId: number | null;
  targetLabel: string | null;
  data: Record<string, unknown>;
};

type ApplyResult = {
  /** How many records the apply wrote (cases opened, endpoints written). */
  applied: number;
  /** Facts of the apply for the run's summary (the batch opened, counts), under `summary.result`. */
  result?: Record<string, unknown>;
  /** Ok rows the apply did not write after all (someone opened the case meanwhile), with the reason. */
  skipped?: { seq: number; code: string; message: string }[];
};

/**
 * The adapter contract: a kind of import plugs into the pipeline by describing how to read its file, how to
 * check a batch of rows against the database (set-based: one lookup per batch, never one per row) and how to
 * apply the ok rows inside the pipeline's transaction (with its own audit events). See README.md.
 */
export type ImportKind<P = unknown, O = unknown, S = unknown> = {
  kind: string;
  /** "HR leaver file", "OpenAPI document": used in messages and the CLI. */
  label: string;
  /** What the file is called in messages ("file", "document"). */
  noun: "file" | "document";
  /** Needed for everything about runs of this kind, on top of imports.run. */
  permission: Permission;
  /** Upload limit; beyond it the upload is refused with 413 and nothing is kept. */
  maxBytes: number;
  /** Optional row limit: a longer file is a file error (counted to the end so the message says how long). */
  maxRows?: number;
  /** The run's parameters (e.g. which system a document describes), fixed when the run starts. */
  params: z.ZodType<P>;
  /** Confirm-time options (a batch name, whether to remove what the document no longer lists). */
  options: z.ZodType<O>;
  /**
   * Fields of a row's data that never leave the server, even sealed (a credential's revocation handle): listed
   * rows carry `true` in their place, so the preview can say one is there.
   */
  hiddenFields?: readonly string[];
  /** True when any row error blocks the whole import (a document is imported whole or not at all). */
  errorsBlock?: boolean;
  /**
   * Loads what parse, validate and apply need (a policy, the target system); throws a typed error when the
   * params do not fit the database (NotFound for a missing system). Runs when the run starts, when the file
   * is read and inside the apply transaction.
   */
  prepare: (ctx: Ctx, run: RunInfo<P>) => Promise<S>;
  /** Reads the file (text, BOM removed) as a stream of records; must not hold a large file whole. */
  parse: (input: Readable, run: RunInfo<P>, state: S) => AsyncIterable<Parsed>;
  /** Judges one batch of parsed rows (≤ BATCH_SIZE) against the database; returns one verdict per row. */
  validate: (ctx: Ctx, rows: readonly ParsedRow[], state: S, run: RunInfo<P>) => Promise<Checked[]>;
  /**
   * After every row is stored: checks across the whole file in SQL over `import_rows` (duplicates), and facts
   * for the summary. Runs in the transaction that marks the run previewed.
   */
  finalize?: (ctx: Ctx, run: RunInfo<P>, state: S) => Promise<Record<string, unknown> | undefined>;
  /** Whether confirming would change anything; by default, whether some row is ok. */
  hasWork?: (run: RunInfo<P>, options: O) => boolean;
  /**
   * Writes the ok rows, in the pipeline's transaction (all or nothing), with the kind's audit events.
   * `okRows()` pages through them in order without holding them all at once.
   */
  apply: (args: {
    ctx: Ctx;
    run: RunInfo<P>;
    options: O;
    state: S;
    okRows: () => AsyncIterable<StoredRow[]>;
  }) => Promise<ApplyResult>;
  /**
   * A CSV kind whose columns are mapped (lib/imports/mapping.ts): the fields it reads and built-in presets of
   * common exports by source name. Its params carry `mapping` (a source name), resolved when the run starts.
   */
  mapping?: { fields: readonly MappingField[]; presets?: Readonly<Record<string, ColumnMapping>> };
  /** Narrows who may see a run beyond the kind's permission (default: every holder of it). */
  canView?: (actor: Actor, run: RunInfo<P>) => boolean;
};

// biome-ignore lint/suspicious/noExplicitAny: the registry holds kinds of every parameter type.
export type AnyImportKind = ImportKind<any, any, any>;
