import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { Conflict, Forbidden, Invalid } from "@/lib/errors";
import { asExecutive, ctxAs, ctxByName } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { queryRows } from "@/lib/testing/sql";
import { confirmImport, importDigest, previewImport } from "./import";
import { parseOpenApi } from "./parse";

const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures", name), "utf8");
const GOOD = fixture("customer-lookup.yaml");
const BROKEN = fixture("broken.yaml");

async function lookupApi(db: Db) {
  const [s] = await queryRows<{ id: number }>(db, sql`SELECT id FROM systems WHERE slug = 'customer-lookup-api'`);
  return Number(s.id);
}
const blastOf = async (db: Db, name: string) =>
  Number(
    (
      await queryRows<{ b: number }>(
        db,
        sql`SELECT cr.blast_radius AS b FROM credential_risk cr JOIN credentials c ON c.id = cr.credential_id WHERE c.name = ${name}`,
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
    expect(r.warnings.map((w) => w.pointer)).toEqual([
      "#/paths/~1users~1{id}/head",
      "#/paths/~1users~1export/post/security",
      "#/paths/~1health/get",
    ]);
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
          message: "Not valid JSON or YAML (line 4, column 1): unexpected end of the stream within a flow collection",
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
});

describe("importing into a system", () => {
  it("previews the diff against the recorded endpoints, then writes it in one audited transaction; blast radius follows", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const systemId = await lookupApi(db);
      const preview = await previewImport(ctx, { systemId, document: GOOD, fileName: "customer-lookup.yaml" });
      if (!preview.ok) throw new Error("preview failed");
      expect(preview.added.map((c) => `${c.endpoint.method} ${c.endpoint.path}`)).toEqual([
        "GET /users/search",
        "GET /accounts/{id}/payment-methods",
      ]);
      expect(preview.changed.map((c) => [`${c.endpoint.method} ${c.endpoint.path}`, c.fields])).toEqual([
        ["GET /users/lookup", ["description"]],
        ["POST /users/export", ["bulk", "maxRecordsPerCall"]],
      ]);
      expect(preview.unchanged).toBe(2);
      expect(preview.missing.map((e) => `${e.method} ${e.path}`).sort()).toEqual([
        "GET /health",
        "GET /users/{id}/contact",
      ]);
      expect(preview.digest).toBe(importDigest(systemId, GOOD));
      const before = await blastOf(db, "lookup-sync (client credentials)");

      const result = await confirmImport(ctx, {
        systemId,
        document: GOOD,
        fileName: "customer-lookup.yaml",
        digest: preview.digest,
        removeMissing: false,
      });
      expect(result).toEqual({
        system: "Customer Lookup API",
        added: 2,
        changed: 2,
        unchanged: 2,
        removed: 0,
        keptMissing: 2,
      });
      // lookup-sync holds users:read, which now also opens GET /users/search (pii × ≤500/call = 8 × 3).
      expect(await blastOf(db, "lookup-sync (client credentials)")).toBe(before + 24);
      const [event] = await queryRows<{ action: string; after: unknown; metadata: Record<string, unknown> }>(
        db,
        sql`
        SELECT action, after, metadata FROM audit_events WHERE action = 'api_scope.import' ORDER BY id DESC LIMIT 1`,
      );
      expect(event).toMatchObject({
        after: { added: 2, changed: 2, removed: 0 },
        metadata: { title: "Customer Lookup API", version: "2.1", fileName: "customer-lookup.yaml" },
      });
      // Importing again changes nothing; removing what the document no longer lists is explicit.
      const again = await previewImport(ctx, { systemId, document: GOOD });
      expect(again.ok && [again.added.length, again.changed.length, again.missing.length]).toEqual([0, 0, 2]);
      const removed = await confirmImport(ctx, {
        systemId,
        document: GOOD,
        digest: preview.digest,
        removeMissing: true,
      });
      expect(removed.removed).toBe(2);
    });
  });

  it("shows a broken document's problems and imports nothing", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const systemId = await lookupApi(db);
      const count = async () =>
        Number(
          (
            await queryRows<{ n: number }>(
              db,
              sql`SELECT count(*)::int AS n FROM api_endpoints WHERE system_id = ${systemId}`,
            )
          )[0].n,
        );
      const before = await count();
      const preview = await previewImport(ctx, { systemId, document: BROKEN });
      expect(preview.ok).toBe(false);
      expect(!preview.ok && preview.errors).toHaveLength(6);
      const err = await confirmImport(ctx, {
        systemId,
        document: BROKEN,
        digest: importDigest(systemId, BROKEN),
        removeMissing: false,
      }).catch((e) => e);
      expect(err).toBeInstanceOf(Invalid);
      expect(err.message).toBe("The document has 6 problems; nothing was imported.");
      expect(err.fieldErrors.document[0]).toBe(
        '#/paths/~1users/get/security/0/partner_key: Unknown security scheme "partner_key" (not in #/components/securitySchemes).',
      );
      expect(await count()).toBe(before);
    });
  });

  it("imports only what was previewed, and only for analysts and admins", async () => {
    await rollback(async (db) => {
      const systemId = await lookupApi(db);
      const ctx = await ctxAs(db, ["admin"]);
      await expect(
        confirmImport(ctx, {
          systemId,
          document: GOOD,
          digest: importDigest(systemId + 1, GOOD),
          removeMissing: false,
        }),
      ).rejects.toThrow(Conflict);
      for (const wrong of [await ctxByName(db, "Maya Patel"), await asExecutive(db), await ctxAs(db, ["approver"])]) {
        await expect(previewImport(wrong, { systemId, document: GOOD })).rejects.toThrow(Forbidden);
        await expect(
          confirmImport(wrong, {
            systemId,
            document: GOOD,
            digest: importDigest(systemId, GOOD),
            removeMissing: false,
          }),
        ).rejects.toThrow(Forbidden);
      }
    });
  });
});
