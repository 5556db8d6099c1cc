import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { importRowStatus, importRunStatus, importSource } from "./enums";
import { identities } from "./org";

/**
 * One file going through the import pipeline (lib/imports): uploaded and parsed into `import_rows`, previewed,
 * then applied exactly as previewed — or failed / discarded. `kind` names the adapter (hr_leavers, openapi…);
 * kinds live in code, so it is text, not an enum. Counters are kept current while a big file parses, so the
 * page can poll them.
 */
export const importRuns = pgTable(
  "import_runs",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    kind: text().notNull(),
    source: importSource().notNull(),
    /** The kind's parameters, validated by its zod schema (e.g. the system an OpenAPI document describes). */
    params: jsonb().notNull().default({}),
    fileName: text(),
    /** sha256 of the bytes as uploaded; set when parsing ends. Confirm must name it. */
    fileDigest: text(),
    fileBytes: bigint({ mode: "number" }).notNull().default(0),
    status: importRunStatus().notNull().default("parsing"),
    startedById: integer().references(() => identities.id, { onDelete: "set null" }),
    /** Who started it, as it read then ("import CLI (alice)" for the command line). */
    startedByLabel: text().notNull(),
    appliedById: integer().references(() => identities.id, { onDelete: "set null" }),
    appliedByLabel: text(),
    rowsRead: integer().notNull().default(0),
    rowsOk: integer().notNull().default(0),
    rowsError: integer().notNull().default(0),
    rowsSkipped: integer().notNull().default(0),
    rowsApplied: integer().notNull().default(0),
    /** Problems with the file as a whole ({ message, pointer? }[]): nothing can be applied while there are any. */
    fileErrors: jsonb().notNull().default([]),
    /** Kind-specific facts of the preview and of the apply (counts by code, the batch opened, …). */
    summary: jsonb().notNull().default({}),
    /** Why parsing or applying failed (a typed error's message; nothing was written). */
    error: text(),
    /**
     * Who holds the run's current step: set when the upload starts and when an apply is claimed, and checked by
     * the step's own transaction, so a second upload or a re-claimed abandoned apply can never write twice.
     */
    claimToken: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    parsedAt: timestamp({ withTimezone: true }),
    applyStartedAt: timestamp({ withTimezone: true }),
    appliedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("import_runs_kind_idx").on(t.kind, t.createdAt.desc()),
    index("import_runs_started_by_idx").on(t.startedById),
    check("import_runs_digest_hex", sql`${t.fileDigest} IS NULL OR ${t.fileDigest} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * The parsed rows of a run, normalised by the kind: what confirm applies (set-based, in one transaction) and
 * what an error report lists. `seq` is the record's order in the file; `line` (CSV) or `pointer` (JSON/YAML)
 * says where it came from.
 */
export const importRows = pgTable(
  "import_rows",
  {
    runId: integer()
      .notNull()
      .references(() => importRuns.id, { onDelete: "cascade" }),
    seq: integer().notNull(),
    line: integer(),
    pointer: text(),
    status: importRowStatus().notNull(),
    /** Finer outcome within the status, named by the kind (duplicate, open_case, new, changed, …). */
    code: text(),
    message: text(),
    /** What the row named, as written in the file (employee number, "GET /users"). */
    key: text(),
    /** The record it resolved to (an identity, an endpoint) and its label at preview time. */
    targetId: bigint({ mode: "number" }),
    targetLabel: text(),
    data: jsonb().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] }), index("import_rows_status_idx").on(t.runId, t.status, t.seq)],
);

/**
 * A column mapping saved per source of a file (lib/imports/mapping.ts): for one import kind, which header of the
 * source's export holds each of the kind's fields (`{ "login": "User Name", "email": "Work Email" }`). Built-in
 * presets (Workday, BambooHR, Personio…) live in code; these are the ones people saved on the import page.
 */
export const importMappings = pgTable(
  "import_mappings",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    kind: text().notNull(),
    /** The source's name as people call it ("Workday", "Legacy ERP export"); unique per kind, case-insensitively. */
    source: text().notNull(),
    fields: jsonb().$type<Record<string, string>>().notNull().default({}),
    updatedById: integer().references(() => identities.id, { onDelete: "set null" }),
    updatedByLabel: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("import_mappings_kind_source_uq").on(t.kind, sql`lower(${t.source})`)],
);
