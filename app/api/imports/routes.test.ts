import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { type AnyRouteSpec, runRoute } from "@/lib/edge/core";
import type { RunView } from "@/lib/imports";
import { actorWith } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";
import { GET as progress, PUT as upload } from "./[id]/route";
import { GET as rows } from "./[id]/rows/route";
import { POST as start } from "./route";

const call = (
  route: { spec: unknown },
  actor: Awaited<ReturnType<typeof actorWith>> | null,
  init: RequestInit & { url?: string; id?: number } = {},
) =>
  runRoute(
    route.spec as AnyRouteSpec,
    actor,
    new Request(`http://localhost${init.url ?? "/api/imports"}`, {
      ...init,
      // Starting a run sends JSON, as the page does; uploads send the raw file.
      headers: init.method === "POST" ? { "content-type": "application/json", ...init.headers } : init.headers,
      duplex: "half",
    } as RequestInit),
    { params: Promise.resolve<Record<string, string>>(init.id ? { id: String(init.id) } : {}) },
  );

/** A request body that arrives in pieces, as a browser upload does. */
const streamed = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      const bytes = new TextEncoder().encode(text);
      for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
      controller.close();
    },
  });

// Requests commit on the test database (no transaction to roll back through a route): the runs left behind
// are previews of rows naming nobody, never applied, and nothing else reads import runs.
describe("import routes", () => {
  it("start a run, stream its file, report progress and rows — and refuse a file over the kind's limit with 413", async () => {
    const db = await testDb();
    const analyst = await actorWith(db, ["analyst"]);
    const created = await call(start, analyst, {
      method: "POST",
      body: JSON.stringify({ kind: "hr_leavers", fileName: "routes.csv" }),
    });
    expect(created.status).toBe(201);
    const run = (await created.json()) as RunView;
    expect(run).toMatchObject({ status: "parsing", kind: "hr_leavers", source: "ui", maxBytes: 5_000_000 });

    const csv = "employee_number,reason,last_day\nE-NOBODY-1,layoff,2026-11-30\nE-NOBODY-2,fired,2026-11-30\n";
    const put = await call(upload, analyst, {
      method: "PUT",
      id: run.id,
      url: `/api/imports/${run.id}`,
      body: streamed(csv),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ status: "previewed", counts: { read: 2, error: 2 } });
    const polled = await call(progress, analyst, { id: run.id, url: `/api/imports/${run.id}` });
    expect(await polled.json()).toMatchObject({ id: run.id, status: "previewed", fileBytes: csv.length });
    const page = await call(rows, analyst, { id: run.id, url: `/api/imports/${run.id}/rows?filter=error&limit=1` });
    const body = await page.json();
    expect(body.rows).toEqual([
      expect.objectContaining({ line: 2, message: "No person with employee number E-NOBODY-1." }),
    ]);
    expect(body.next).toBe(1);

    // Declared too large: refused before a byte is read. Streamed past the limit without a length: refused too.
    for (const headers of [{ "content-length": "6000000" }, {}] as Record<string, string>[]) {
      const next = (await (
        await call(start, analyst, {
          method: "POST",
          body: JSON.stringify({ kind: "hr_leavers", fileName: "big.csv" }),
        })
      ).json()) as RunView;
      const big = `employee_number,reason,last_day\n${"E1,layoff,2026-11-30\n".repeat(260_000)}`;
      const res = await call(upload, analyst, {
        method: "PUT",
        id: next.id,
        url: `/api/imports/${next.id}`,
        headers,
        body: streamed(big),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ ok: false, code: "invalid", message: "The file is larger than 5 MB." });
      const [row] = await rowsOf(
        db,
        sql`SELECT status::text, (SELECT count(*)::int FROM import_rows WHERE run_id = ${next.id}) AS n FROM import_runs WHERE id = ${next.id}`,
        { status: col.text, n: col.num },
      );
      expect(row).toEqual({ status: "failed", n: 0 });
    }
  });

  it("answers 401 to anonymous callers, 403 to roles without imports.run, and 400 to a malformed start", async () => {
    const db = await testDb();
    expect((await call(start, null, { method: "POST", body: "{}" })).status).toBe(401);
    const manager = await actorWith(db, ["manager"]);
    expect((await call(progress, manager, { id: 1, url: "/api/imports/1" })).status).toBe(403);
    const analyst = await actorWith(db, ["analyst"]);
    expect((await call(start, analyst, { method: "POST", body: "not json" })).status).toBe(400);
    expect((await call(start, analyst, { method: "POST", body: JSON.stringify({ kind: "nope" }) })).status).toBe(404);
    const openapi = await call(start, analyst, {
      method: "POST",
      body: JSON.stringify({ kind: "openapi", params: {} }),
    });
    expect(openapi.status).toBe(400);
  });
});
