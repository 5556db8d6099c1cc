import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { systems } from "@/db/schema";
import { dataClass, httpMethod } from "@/db/schema/enums";
import { intArray } from "@/db/sql";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { defineKind } from "@/lib/imports/registry";
import type { Checked, Parsed } from "@/lib/imports/types";
import { idField } from "@/lib/input";
import { type ImportedEndpoint, readOpenApi } from "./parse";

/**
 * OpenAPI document (import kind `openapi`, parameter: the system it describes). Rows are the document's
 * operations, each at its JSON pointer: `new` and `changed` endpoints are ok (applied), `unchanged` ones and
 * operations that are not imported (no security requirement, HEAD…) are skipped, problems are errors — and any
 * error blocks the whole document. Endpoints recorded for the system but absent from the document are listed
 * in the summary and removed only when the confirmer asks.
 */
/** What is recorded of an endpoint (record type and contact lookup are reported in the preview, not stored). */
export type Existing = Omit<ImportedEndpoint, "records" | "contactLookup"> & { id: number };
export type EndpointRowData = {
  endpoint: ImportedEndpoint;
  before: Existing | null;
  /** Fields that differ from what is recorded (changed rows). */
  fields: string[];
};
type MissingEndpoint = { id: number; method: string; path: string; scope: string };
/** `summary` of an OpenAPI run: the document's title and version, and what it leaves out. */
export type OpenApiSummary = {
  system: string;
  title: string | null;
  version: string | null;
  warnings: number;
  missing: MissingEndpoint[];
  result?: OpenApiResult;
};
export type OpenApiResult = {
  system: string;
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
  keptMissing: number;
};

const MAX_DOCUMENT_BYTES = 5_000_000;
const key = (e: { method: string; path: string }) => `${e.method} ${e.path}`;
const FIELDS = ["scopeSets", "bulk", "maxRecordsPerCall", "dataClasses", "description"] as const;

const existingRow = z.object({
  id: col.int,
  method: z.enum(httpMethod.enumValues),
  path: col.text,
  scope_sets: col.json(z.array(z.array(z.string()))),
  scope: col.text,
  bulk: col.bool,
  max_records_per_call: col.intOrNull,
  data_classes: col.array(z.enum(dataClass.enumValues)),
  description: col.textOrNull,
});

function toExisting(r: z.output<typeof existingRow>): Existing {
  return {
    id: r.id,
    method: r.method,
    path: r.path,
    scopeSets: r.scope_sets,
    scope: r.scope,
    bulk: r.bulk,
    // Records per call mean something only for bulk endpoints (the seed records 1 for single-record ones).
    maxRecordsPerCall: r.bulk ? r.max_records_per_call : null,
    dataClasses: r.data_classes,
    description: r.description,
  };
}

async function loadSystem(ctx: Ctx, systemId: number) {
  const [system] = await ctx.db
    .select({ id: systems.id, name: systems.name })
    .from(systems)
    .where(eq(systems.id, systemId));
  if (!system) throw new NotFound("That system");
  return system;
}

export const openApiImport = defineKind({
  kind: "openapi",
  label: "OpenAPI document",
  noun: "document",
  permission: "api_scopes.manage",
  maxBytes: MAX_DOCUMENT_BYTES,
  errorsBlock: true,
  params: z.object({ systemId: idField }),
  options: z.object({ removeMissing: z.boolean().default(false) }),

  prepare: (ctx, run) => loadSystem(ctx, run.params.systemId),

  /** A document is read whole (it is bounded by maxBytes); its problems keep their JSON pointers. */
  async *parse(input, _run, system): AsyncGenerator<Parsed> {
    let text = "";
    for await (const chunk of input) text += chunk;
    const doc = readOpenApi(text);
    if (doc.fatal) {
      for (const e of doc.errors) yield { type: "fileError", message: e.message, pointer: e.pointer };
      return;
    }
    if (!doc.errors.length && !doc.endpoints.length) {
      yield {
        type: "fileError",
        pointer: "#/paths",
        message: "No operation with a security requirement was found: nothing to import.",
      };
      return;
    }
    yield {
      type: "facts",
      facts: { system: system.name, title: doc.title, version: doc.version, warnings: doc.warnings.length },
    };
    for (const e of doc.errors)
      yield { type: "row", pointer: e.pointer, status: "error", message: e.message, data: {} };
    // A warning about an imported operation travels with its row; the others are operations left out.
    const attached = new Set<(typeof doc.warnings)[number]>();
    for (const { pointer, ...endpoint } of doc.endpoints) {
      const mine = doc.warnings.filter((w) => w.pointer === pointer || w.pointer.startsWith(`${pointer}/`));
      for (const w of mine) attached.add(w);
      yield {
        type: "row",
        pointer,
        key: key(endpoint),
        data: { endpoint, warnings: mine.map((w) => w.message) },
      };
    }
    for (const w of doc.warnings.filter((x) => !attached.has(x)))
      yield { type: "row", pointer: w.pointer, status: "skipped", code: "not_imported", message: w.message, data: {} };
  },

  /** One lookup of the batch's routes among the system's endpoints: new, changed (which fields) or unchanged. */
  async validate(ctx, rows, system) {
    const wanted = rows.map((r) => r.data.endpoint as ImportedEndpoint);
    const found = await queryRows(
      ctx.db,
      sql`
      SELECT e.id, e.method::text AS method, e.path, e.scope_sets, e.scope, e.bulk, e.max_records_per_call, e.data_classes::text[] AS data_classes, e.description
        FROM api_endpoints e
        JOIN jsonb_to_recordset(${JSON.stringify(wanted.map((w) => ({ method: w.method, path: w.path })))}::jsonb)
             AS x(method text, path text) ON e.method::text = x.method AND e.path = x.path
       WHERE e.system_id = ${system.id}`,
      existingRow,
    );
    const byKey = new Map(found.map((r) => [key(r), toExisting(r)]));
    return rows.map((r, i): Checked => {
      const endpoint = wanted[i];
      const warnings = (r.data.warnings as string[]) ?? [];
      const before = byKey.get(key(endpoint)) ?? null;
      const norm = (e: Existing | ImportedEndpoint, f: (typeof FIELDS)[number]) =>
        JSON.stringify(f === "dataClasses" ? [...e[f]].sort() : e[f]);
      const fields = before ? FIELDS.filter((f) => norm(endpoint, f) !== norm(before, f)) : [];
      const code = !before ? "new" : fields.length ? "changed" : "unchanged";
      const data: EndpointRowData = { endpoint, before, fields };
      return {
        status: code === "unchanged" ? "skipped" : "ok",
        code,
        message: warnings.join(" ") || null,
        key: key(endpoint),
        targetId: before?.id ?? null,
        targetLabel: key(endpoint),
        data,
      };
    });
  },

  /** Endpoints recorded for the system that the document does not list (removed only when asked). */
  async finalize(ctx, run, system) {
    const missing: MissingEndpoint[] = await queryRows(
      ctx.db,
      sql`
      SELECT e.id, e.method::text AS method, e.path, e.scope FROM api_endpoints e
       WHERE e.system_id = ${system.id}
         AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.run_id = ${run.id} AND r.key = e.method::text || ' ' || e.path
                            AND r.code IN ('new', 'changed', 'unchanged'))
       ORDER BY e.path, e.method`,
      z.object({ id: col.int, method: col.text, path: col.text, scope: col.text }),
    );
    return { missing };
  },

  hasWork: (run, options) =>
    run.rowsOk > 0 || (options.removeMissing && ((run.summary.missing as unknown[]) ?? []).length > 0),

  /**
   * Writes the previewed endpoints in one statement straight from the run's rows, removes the missing ones
   * when asked, and records one audit event; credentials' blast radius follows by trigger.
   */
  async apply({ ctx, run, options, state: system }) {
    // Lock the system's endpoint list so two imports of one system cannot interleave.
    await ctx.db.select({ id: systems.id }).from(systems).where(eq(systems.id, system.id)).for("update");
    await ctx.db.execute(sql`
      INSERT INTO api_endpoints (system_id, method, path, scope_sets, scope, bulk, max_records_per_call, data_classes, description)
      SELECT ${system.id}, e.method::http_method, e.path, r.data->'endpoint'->'scopeSets', e.scope, e.bulk, e."maxRecordsPerCall",
             ARRAY(SELECT jsonb_array_elements_text(r.data->'endpoint'->'dataClasses'))::data_class[], e.description
        FROM import_rows r,
             jsonb_to_record(r.data->'endpoint') AS e(method text, path text, scope text, bulk boolean, "maxRecordsPerCall" int, description text)
       WHERE r.run_id = ${run.id} AND r.status = 'ok'
       ORDER BY r.seq
      ON CONFLICT (system_id, method, path) DO UPDATE SET scope_sets = excluded.scope_sets, scope = excluded.scope, bulk = excluded.bulk,
        max_records_per_call = excluded.max_records_per_call, data_classes = excluded.data_classes, description = excluded.description`);
    const summary = run.summary as OpenApiSummary;
    const missing = summary.missing ?? [];
    const removed =
      options.removeMissing && missing.length
        ? await queryRows(
            ctx.db,
            sql`DELETE FROM api_endpoints WHERE system_id = ${system.id} AND id = ANY(${intArray(missing.map((m) => m.id))})
              RETURNING id`,
            z.object({ id: col.int }),
          )
        : [];
    const codes = (summary as unknown as { codes?: Record<string, number> }).codes ?? {};
    const counts = {
      added: codes.new ?? 0,
      changed: codes.changed ?? 0,
      unchanged: codes.unchanged ?? 0,
      removed: removed.length,
      keptMissing: missing.length - removed.length,
    };
    await writeAudit(ctx, {
      action: "api_scope.import",
      target: { type: "system", id: system.id, label: system.name },
      after: counts,
      metadata: {
        title: summary.title,
        version: summary.version,
        fileName: run.fileName,
        digest: run.fileDigest,
        warnings: summary.warnings,
        importRun: run.id,
      },
    });
    return { applied: counts.added + counts.changed + counts.removed, result: { system: system.name, ...counts } };
  },
});

/** Systems an OpenAPI document can be imported for (any connected system may publish an API). */
export async function importTargets(ctx: Ctx) {
  authorize(ctx.actor, "api_scopes.manage");
  return queryRows(
    ctx.db,
    sql`
    SELECT s.id, s.name, (SELECT count(*)::int FROM api_endpoints e WHERE e.system_id = s.id) AS endpoints FROM systems s ORDER BY s.name`,
    z.object({ id: col.int, name: col.text, endpoints: col.int }),
  );
}
