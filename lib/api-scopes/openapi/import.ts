import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { queryRows } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import type { importConfirmInput, importPreviewInput } from "../schemas";
import { type ImportedEndpoint, type Problem, parseOpenApi } from "./parse";

type Existing = ImportedEndpoint & { id: number };
type EndpointChange = { endpoint: ImportedEndpoint; before: Existing | null; fields: string[] };
export type ImportPreview =
  | { ok: false; system: string; errors: Problem[] }
  | {
      ok: true;
      system: string;
      title: string | null;
      version: string | null;
      digest: string;
      warnings: Problem[];
      added: EndpointChange[];
      changed: EndpointChange[];
      unchanged: number;
      /** Recorded for this system but not in the document (removed only when asked). */
      missing: Existing[];
    };

/** Binds the confirmation to the exact document and system that were previewed. */
export const importDigest = (systemId: number, document: string) =>
  createHash("sha256").update(`${systemId}\n${document}`).digest("hex");
const key = (e: { method: string; path: string }) => `${e.method} ${e.path}`;

async function loadSystem(ctx: Ctx, systemId: number) {
  const [system] = await queryRows<{ id: number; name: string; slug: string }>(
    ctx.db,
    sql`SELECT id, name, slug FROM systems WHERE id = ${systemId}`,
  );
  if (!system) throw new NotFound("That system");
  const rows = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`
    SELECT id, method::text AS method, path, scope, bulk, max_records_per_call, data_classes::text[] AS data_classes, description
      FROM api_endpoints WHERE system_id = ${systemId} ORDER BY path, method`,
  );
  const existing: Existing[] = rows.map((r) => ({
    id: Number(r.id),
    method: r.method as Existing["method"],
    path: String(r.path),
    scope: String(r.scope),
    bulk: Boolean(r.bulk),
    // Records per call mean something only for bulk endpoints (the seed records 1 for single-record ones).
    maxRecordsPerCall: r.max_records_per_call === null || !r.bulk ? null : Number(r.max_records_per_call),
    dataClasses: (Array.isArray(r.data_classes)
      ? r.data_classes
      : String(r.data_classes).replace(/[{}]/g, "").split(",").filter(Boolean)) as Existing["dataClasses"],
    description: (r.description as string) ?? null,
  }));
  return { system, existing };
}

function diff(imported: ImportedEndpoint[], existing: Existing[]) {
  const byKey = new Map(existing.map((e) => [key(e), e]));
  const added: EndpointChange[] = [];
  const changed: EndpointChange[] = [];
  let unchanged = 0;
  for (const e of imported) {
    const before = byKey.get(key(e)) ?? null;
    if (!before) {
      added.push({ endpoint: e, before: null, fields: [] });
      continue;
    }
    const fields = (["scope", "bulk", "maxRecordsPerCall", "dataClasses", "description"] as const).filter(
      (f) =>
        JSON.stringify(f === "dataClasses" ? [...e[f]].sort() : e[f]) !==
        JSON.stringify(f === "dataClasses" ? [...before[f]].sort() : before[f]),
    );
    if (fields.length) changed.push({ endpoint: e, before, fields });
    else unchanged++;
  }
  const seen = new Set(imported.map(key));
  return { added, changed, unchanged, missing: existing.filter((e) => !seen.has(key(e))) };
}

/** Reads the document and shows what importing it would change; writes nothing. */
export async function previewImport(ctx: Ctx, input: z.output<typeof importPreviewInput>): Promise<ImportPreview> {
  authorize(ctx.actor, "api_scopes.manage");
  const { system, existing } = await loadSystem(ctx, input.systemId);
  const parsed = parseOpenApi(input.document);
  if (!parsed.ok) return { ok: false, system: system.name, errors: parsed.errors };
  return {
    ok: true,
    system: system.name,
    title: parsed.title,
    version: parsed.version,
    digest: importDigest(system.id, input.document),
    warnings: parsed.warnings,
    ...diff(parsed.endpoints, existing),
  };
}

/**
 * Writes the previewed document's endpoints for the system in one transaction with one audit event: new
 * routes added, known routes updated (scope, bulk, records per call, data classes, description), and routes
 * the document no longer lists removed only when asked. Credentials' blast radius follows by trigger.
 */
export async function confirmImport(ctx: Ctx, input: z.output<typeof importConfirmInput>) {
  authorize(ctx.actor, "api_scopes.manage");
  if (importDigest(input.systemId, input.document) !== input.digest)
    throw new Conflict("The document or system changed since the preview; preview it again.");
  const parsed = parseOpenApi(input.document);
  if (!parsed.ok) {
    throw new Invalid(
      `The document has ${parsed.errors.length} problem${parsed.errors.length === 1 ? "" : "s"}; nothing was imported.`,
      {
        document: parsed.errors.map((e) => `${e.pointer}: ${e.message}`),
      },
    );
  }
  return transact(ctx, async (tx) => {
    // Lock the system's endpoint list so two imports of one system cannot interleave.
    await tx.db.execute(sql`SELECT id FROM systems WHERE id = ${input.systemId} FOR UPDATE`);
    const { system, existing } = await loadSystem(tx, input.systemId);
    const d = diff(parsed.endpoints, existing);
    const rows = [...d.added, ...d.changed].map(({ endpoint: e }) => ({
      method: e.method,
      path: e.path,
      scope: e.scope,
      bulk: e.bulk,
      max_records: e.maxRecordsPerCall,
      classes: `{${e.dataClasses.join(",")}}`,
      description: e.description,
    }));
    if (rows.length) {
      await tx.db.execute(sql`
        INSERT INTO api_endpoints (system_id, method, path, scope, bulk, max_records_per_call, data_classes, description)
        SELECT ${system.id}, x.method::http_method, x.path, x.scope, x.bulk, x.max_records, x.classes::data_class[], x.description
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(method text, path text, scope text, bulk boolean, max_records int, classes text, description text)
        ON CONFLICT (system_id, method, path) DO UPDATE SET scope = excluded.scope, bulk = excluded.bulk,
          max_records_per_call = excluded.max_records_per_call, data_classes = excluded.data_classes, description = excluded.description`);
    }
    const removed = input.removeMissing ? d.missing : [];
    if (removed.length)
      await tx.db.execute(
        sql`DELETE FROM api_endpoints WHERE id = ANY(${`{${removed.map((e) => e.id).join(",")}}`}::int[])`,
      );
    const counts = {
      added: d.added.length,
      changed: d.changed.length,
      unchanged: d.unchanged,
      removed: removed.length,
      keptMissing: d.missing.length - removed.length,
    };
    await writeAudit(tx, {
      action: "api_scope.import",
      target: { type: "system", id: system.id, label: system.name },
      after: counts,
      metadata: {
        title: parsed.title,
        version: parsed.version,
        fileName: input.fileName ?? null,
        digest: input.digest,
        warnings: parsed.warnings.length,
      },
    });
    return { system: system.name, ...counts };
  });
}

/** Systems an OpenAPI document can be imported for (any connected system may publish an API). */
export async function importTargets(ctx: Ctx) {
  authorize(ctx.actor, "api_scopes.manage");
  return queryRows<{ id: number; name: string; endpoints: number }>(
    ctx.db,
    sql`
    SELECT s.id, s.name, (SELECT count(*)::int FROM api_endpoints e WHERE e.system_id = s.id) AS endpoints FROM systems s ORDER BY s.name`,
  );
}
