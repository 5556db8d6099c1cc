import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { confirmRun, getRun, type StoredRow } from "@/lib/imports";
import { asExecutive, ctxAs, ctxByName } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { allRows, previewText, sha256 } from "@/lib/testing/imports";
import { rowsOf } from "@/lib/testing/sql";
import type { EndpointRowData, OpenApiSummary } from "./import";
import { parseOpenApi } from "./parse";

const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures", name), "utf8");
const GOOD = fixture("customer-lookup.yaml");
const BROKEN = fixture("broken.yaml");

async function lookupApi(db: Db) {
  const [s] = await rowsOf(db, sql`SELECT id FROM systems WHERE slug = 'customer-lookup-api'`, { id: col.num });
  return Number(s.id);
}
const blastOf = async (db: Db, name: string) =>
  Number(
    (
      await rowsOf(
        db,
        sql`SELECT cr.blast_radius AS b FROM credential_risk cr JOIN credentials c ON c.id = cr.credential_id WHERE c.name = ${name}`,
        { b: col.num },
      )
    )[0].b,
  );

describe("reading OpenAPI documents", () => {
  it("reads scopes from security requirements, bulk from paged array responses, records per call from the size maximum, data classes", () => {
    const r = parseOpenApi(GOOD);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(
      r.endpoints.map((e) => [e.method, e.path, e.scope, e.bulk, e.maxRecordsPerCall, e.dataClasses.join(",")]),
    ).toEqual([
      ["GET", "/users/lookup", "users:read", true, 100, "pii"], // global security; limit maximum via $ref
      ["GET", "/users/search", "users:read", true, 500, "pii"], // { data: [...] } page object with page_size + cursor
      ["GET", "/users/{id}", "users:read", false, null, "pii"], // from the response's property names
      ["PATCH", "/users/{id}", "users:write", false, null, "pii"], // operation-level security
      ["POST", "/users/export", "users:export", false, null, "pii"], // x-data-classes
      ["GET", "/accounts/{id}/payment-methods", "billing:read", true, null, "pii,financial"], // per_page without a maximum
    ]);
    // Each requirement object is one set; the export is reached by its OAuth scope OR the partner key.
    expect(r.endpoints.map((e) => e.scopeSets)).toEqual([
      [["users:read"]],
      [["users:read"]],
      [["users:read"]],
      [["users:write"]],
      [["users:export"], ["partner_key"]],
      [["billing:read"]],
    ]);
    expect(r.endpoints.map((e) => [e.records, e.contactLookup])).toEqual([
      ["people", true],
      ["people", false],
      ["people", false],
      [null, false],
      [null, false],
      ["records", false],
    ]);
    // Warnings name the operation, not a JSON pointer.
    expect(r.warnings.map((w) => [w.pointer, w.message.split(":")[0]])).toEqual([
      ["#/paths/~1users~1lookup/get", "GET /users/lookup"],
      ["#/paths/~1users~1{id}/head", "HEAD /users/{id}"],
      ["#/paths/~1health/get", "GET /health"],
    ]);
    expect(r.warnings[0].message).toMatch(/^GET \/users\/lookup: Looks people up by email or phone/);
    // JSON is read the same way.
    const json = parseOpenApi(
      JSON.stringify({
        openapi: "3.1.0",
        components: { securitySchemes: { k: { type: "apiKey", in: "header", name: "X" } } },
        paths: { "/a": { get: { security: [{ k: [] }] } } },
      }),
    );
    expect(json.ok && json.endpoints[0]).toMatchObject({ path: "/a", scope: "k", bulk: false });
  });

  it("lists every problem of a broken document, each at its JSON pointer", () => {
    expect(parseOpenApi(BROKEN)).toEqual({
      ok: false,
      errors: [
        {
          pointer: "#/paths/~1users/get/security/0/partner_key",
          message: 'Unknown security scheme "partner_key" (not in #/components/securitySchemes).',
        },
        {
          pointer: "#/paths/~1users/get/responses/200/content/application~1json/schema/$ref",
          message: "Cannot resolve #/components/schemas/Userz.",
        },
        { pointer: "#/paths/~1users/delete", message: "An operation must be an object." },
        { pointer: "#/paths/users~1{id}", message: 'A path must start with "/".' },
        {
          pointer: "#/paths/users~1{id}/get/security/0/lookup_oauth",
          message: "Must be a list of scope names (strings).",
        },
        { pointer: "#/paths/users~1{id}/get/parameters", message: "Must be a list of parameters." },
      ],
    });
  });

  it("says where a file is not JSON or YAML, and refuses Swagger 2.0 and documents without paths", () => {
    expect(parseOpenApi("openapi: 3.0.0\npaths:\n  /a: [\n")).toEqual({
      ok: false,
      errors: [
        {
          pointer: "#",
          message: "Not valid JSON or YAML (line 3, column 7): the [ opened here is never closed",
        },
      ],
    });
    expect(parseOpenApi('{"swagger": "2.0", "paths": {}}')).toMatchObject({
      ok: false,
      errors: [{ pointer: "#/swagger" }],
    });
    expect(parseOpenApi("openapi: 3.0.0\n")).toEqual({
      ok: false,
      errors: [{ pointer: "#/paths", message: "Missing: the document lists no paths." }],
    });
    expect(parseOpenApi("just text")).toMatchObject({ ok: false, errors: [{ pointer: "#" }] });
  });

  it("refuses documents built to exhaust the parser: nested YAML aliases, a 5,000-hop $ref chain — quickly", () => {
    // ~600 bytes that stand for 9^9 values once aliases are read as a tree.
    const names = "abcdefghi";
    const laughs = [
      "openapi: 3.0.0",
      "info: {title: t, version: '1'}",
      "x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]",
      ...[...names].slice(1).map((n, i) => `x-${n}: &${n} [${Array(9).fill(`*${names[i]}`).join(", ")}]`),
      "paths:",
      "  /x:",
      "    get: {security: [{oauth: [read]}], x-big: *i, responses: {'200': {description: ok}}}",
    ].join("\n");
    let started = performance.now();
    expect(parseOpenApi(laughs)).toEqual({
      ok: false,
      errors: [{ pointer: "#", message: expect.stringMatching(/expands to more than 500,000 values/) }],
    });
    expect(performance.now() - started).toBeLessThan(2000);

    const chain = [
      "openapi: 3.0.0",
      "info: {title: t, version: '1'}",
      "components:",
      "  securitySchemes: {oauth: {type: oauth2, flows: {}}}",
      "  schemas:",
      ...Array.from({ length: 5000 }, (_, i) => `    S${i}: {$ref: '#/components/schemas/S${i + 1}'}`),
      "    S5000: {type: array, items: {type: object}}",
      "paths:",
      "  /y:",
      "    get:",
      "      security: [{oauth: [read]}]",
      "      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/S0'}}}}}",
    ].join("\n");
    started = performance.now();
    const read = parseOpenApi(chain);
    expect(read.ok).toBe(false);
    expect(read.ok ? [] : read.errors).toContainEqual({
      pointer: expect.stringContaining("#/paths/~1y/get/responses/200"),
      message: "The chain of references from here is longer than 64 hops.",
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("importing into a system (kind openapi)", () => {
  const endpoint = (r: StoredRow) =>
    `${(r.data as EndpointRowData).endpoint.method} ${(r.data as EndpointRowData).endpoint.path}`;

  it("previews the diff against the recorded endpoints, then writes it in one audited transaction; blast radius follows", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const systemId = await lookupApi(db);
      const preview = await previewText(ctx, "openapi", GOOD, {
        fileName: "customer-lookup.yaml",
        params: { systemId },
      });
      expect(preview.status).toBe("previewed");
      expect(preview.fileErrors).toEqual([]);
      const rows = await allRows(ctx, preview.id);
      expect(rows.filter((r) => r.code === "new").map(endpoint)).toEqual([
        "GET /users/search",
        "GET /accounts/{id}/payment-methods",
      ]);
      expect(
        rows.filter((r) => r.code === "changed").map((r) => [endpoint(r), (r.data as EndpointRowData).fields]),
      ).toEqual([
        ["GET /users/lookup", ["description"]],
        ["POST /users/export", ["scopeSets", "bulk", "maxRecordsPerCall"]],
      ]);
      expect(preview.codes).toMatchObject({ new: 2, changed: 2, unchanged: 2, not_imported: 2 });
      // Rows keep the JSON pointer of their operation; warnings about an imported one travel with its row.
      expect(rows.find((r) => r.key === "GET /users/search")?.pointer).toBe("#/paths/~1users~1search/get");
      expect(rows.find((r) => r.key === "GET /users/lookup")?.message).toMatch(/^GET \/users\/lookup: Looks people up/);
      expect(rows.filter((r) => r.code === "not_imported").map((r) => r.pointer)).toEqual([
        "#/paths/~1users~1{id}/head",
        "#/paths/~1health/get",
      ]);
      const summary = preview.summary as OpenApiSummary;
      expect(summary).toMatchObject({ system: "Customer Lookup API", title: "Customer Lookup API", version: "2.1" });
      expect(summary.missing.map((e) => `${e.method} ${e.path}`).sort()).toEqual([
        "GET /health",
        "GET /users/{id}/contact",
      ]);
      expect(preview.digest).toBe(sha256(GOOD));
      const before = await blastOf(db, "lookup-sync (client credentials)");

      const result = await confirmRun(ctx, {
        runId: preview.id,
        digest: preview.digest!,
        options: { removeMissing: false },
      });
      expect(result.summary.result).toEqual({
        system: "Customer Lookup API",
        added: 2,
        changed: 2,
        unchanged: 2,
        removed: 0,
        keptMissing: 2,
      });
      expect(result.counts.applied).toBe(4);
      // lookup-sync holds users:read, which now also opens GET /users/search (pii × ≤500/call = 8 × 3).
      expect(await blastOf(db, "lookup-sync (client credentials)")).toBe(before + 24);
      const [event] = await rowsOf(
        db,
        sql`
        SELECT action, after, metadata FROM audit_events WHERE action = 'api_scope.import' ORDER BY id DESC LIMIT 1`,
        { action: col.text, after: z.unknown(), metadata: col.json(z.record(z.string(), z.unknown()).nullable()) },
      );
      expect(event).toMatchObject({
        after: { added: 2, changed: 2, removed: 0 },
        metadata: {
          title: "Customer Lookup API",
          version: "2.1",
          fileName: "customer-lookup.yaml",
          digest: sha256(GOOD),
        },
      });
      // Importing again changes nothing; removing what the document no longer lists is explicit.
      const again = await previewText(ctx, "openapi", GOOD, { params: { systemId } });
      expect([
        again.codes.new ?? 0,
        again.codes.changed ?? 0,
        (again.summary as OpenApiSummary).missing.length,
      ]).toEqual([0, 0, 2]);
      await expect(confirmRun(ctx, { runId: again.id, digest: again.digest! })).rejects.toThrow(
        "No row of this document can be imported.",
      );
      const removed = await confirmRun(ctx, {
        runId: again.id,
        digest: again.digest!,
        options: { removeMissing: true },
      });
      expect(removed.summary.result).toMatchObject({ removed: 2, added: 0, changed: 0 });
    });
  });

  it("shows a broken document's problems at their pointers and imports nothing", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const systemId = await lookupApi(db);
      const count = async () =>
        Number(
          (
            await rowsOf(db, sql`SELECT count(*)::int AS n FROM api_endpoints WHERE system_id = ${systemId}`, {
              n: col.num,
            })
          )[0].n,
        );
      const before = await count();
      const preview = await previewText(ctx, "openapi", BROKEN, { params: { systemId } });
      expect(preview.counts.error).toBe(6);
      const errors = (await allRows(ctx, preview.id)).filter((r) => r.status === "error");
      expect(errors.map((e) => ({ pointer: e.pointer, message: e.message }))).toEqual(
        (parseOpenApi(BROKEN) as { errors: unknown[] }).errors,
      );
      const err = await confirmRun(ctx, { runId: preview.id, digest: preview.digest! }).catch((e) => e);
      expect(err).toBeInstanceOf(Invalid);
      expect(err.message).toBe("The document has 6 problems; nothing was imported.");
      expect(err.fieldErrors.document[0]).toBe(
        '#/paths/~1users/get/security/0/partner_key: Unknown security scheme "partner_key" (not in #/components/securitySchemes).',
      );
      expect(await count()).toBe(before);
      // A document that cannot be read at all is a file error at its pointer.
      const unreadable = await previewText(ctx, "openapi", "openapi: 3.0.0\n", { params: { systemId } });
      expect(unreadable.fileErrors).toEqual([{ pointer: "#/paths", message: "Missing: the document lists no paths." }]);
    });
  });

  it("imports only what was previewed, for an existing system, and only for analysts and admins", async () => {
    await rollback(async (db) => {
      const systemId = await lookupApi(db);
      const ctx = await ctxAs(db, ["admin"]);
      await expect(previewText(ctx, "openapi", GOOD, { params: { systemId: 999_999 } })).rejects.toThrow(NotFound);
      await expect(previewText(ctx, "openapi", GOOD, { params: {} })).rejects.toThrow(Invalid);
      const preview = await previewText(ctx, "openapi", GOOD, { params: { systemId } });
      await expect(confirmRun(ctx, { runId: preview.id, digest: sha256(`${GOOD} `) })).rejects.toThrow(Conflict);
      for (const wrong of [await ctxByName(db, "Maya Patel"), await asExecutive(db), await ctxAs(db, ["approver"])]) {
        await expect(previewText(wrong, "openapi", GOOD, { params: { systemId } })).rejects.toThrow(Forbidden);
        await expect(getRun(wrong, { runId: preview.id })).rejects.toThrow(Forbidden);
        await expect(confirmRun(wrong, { runId: preview.id, digest: preview.digest! })).rejects.toThrow(Forbidden);
      }
    });
  });
});
