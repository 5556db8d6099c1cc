import v8 from "node:v8";
import vm from "node:vm";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { importRows, importRuns } from "@/db/schema";
import { userActor } from "@/lib/authz";
import { makeCtx } from "@/lib/context";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { hrLeaversImport } from "@/lib/leavers/import";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { allRows, bodyOf, previewText, sha256 } from "@/lib/testing/imports";
import { rowsOf } from "@/lib/testing/sql";
import { csvItems } from "./csv";
import {
  confirmRun,
  defineKind,
  discardRun,
  getRun,
  type IngestProgress,
  ingest,
  listRows,
  registerKind,
  startRun,
  TooLarge,
} from "./index";

/**
 * A minimal kind over the seeded directory: `employee_number,note` rows, one lookup per batch; apply records
 * nothing but its count. It lets the pipeline's rules be tested apart from any one product import.
 */
const people = defineKind({
  kind: "test_people",
  label: "Test people file",
  noun: "file",
  permission: "people.read",
  maxBytes: 64_000_000,
  maxRows: 150_000,
  params: z.object({}),
  options: z.object({}),
  prepare: async () => null,
  async *parse(input) {
    for await (const item of csvItems(input, { transformHeader: (h) => h.trim().toLowerCase() })) {
      if (item.type === "header") {
        if (!item.fields.includes("employee_number"))
          yield { type: "fileError", message: "No employee_number column." };
        if (!item.fields.includes("employee_number")) return;
      } else if (!item.blank)
        yield { type: "row", line: item.line, key: item.values.employee_number, data: { note: item.values.note } };
    }
  },
  validate: async (ctx, rows) => {
    lookups.push(rows.length);
    const numbers = JSON.stringify(rows.map((r) => r.key));
    const found = await rowsOf(
      ctx.db,
      sql`SELECT id, employee_number AS n, display_name AS name FROM identities
           WHERE employee_number IN (SELECT jsonb_array_elements_text(${numbers}::jsonb))`,
      { id: col.num, n: col.text, name: col.text },
    );
    const byNumber = new Map(found.map((f) => [f.n, f]));
    return rows.map((r) => {
      const p = byNumber.get(r.key!);
      return p
        ? { status: "ok", targetId: Number(p.id), targetLabel: p.name, data: { note: r.data.note } }
        : { status: "error", message: `No person with employee number ${r.key}.`, data: {} };
    });
  },
  apply: async ({ okRows }) => {
    let n = 0;
    for await (const page of okRows()) n += page.length;
    return { applied: n, result: { counted: n } };
  },
});
/** Batch sizes `validate` was called with (one lookup per batch, never per row). */
const lookups: number[] = [];
/** Needs a permission only admins hold, and lets only the person who started a run see it. */
const adminsOwn = defineKind({
  ...people,
  kind: "test_admin_only",
  permission: "systems.manage",
  canView: (actor, run) => actor.id === run.startedById,
});
/** The HR kind, except that its apply fails after it has written cases, tasks and audit events. */
const failingHr = defineKind({
  ...hrLeaversImport,
  kind: "test_failing_hr",
  apply: async (args) => {
    await hrLeaversImport.apply(args);
    throw new Error("the target database went away mid-apply");
  },
});
for (const k of [people, adminsOwn, failingHr]) registerKind(k);

const numbers = async (db: Db, n: number) =>
  (
    await rowsOf(
      db,
      sql`SELECT employee_number AS n FROM identities WHERE employee_number IS NOT NULL ORDER BY id LIMIT ${n}`,
      { n: col.text },
    )
  ).map((r) => r.n);

const freeLeaver = async (db: Db) =>
  (
    await rowsOf(
      db,
      sql`SELECT id, employee_number AS n FROM identities i WHERE kind = 'human' AND status = 'active' AND employee_number IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
            AND NOT EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = i.id AND c.status <> 'closed') ORDER BY id LIMIT 1`,
      { id: col.num, n: col.text },
    )
  )[0];

const written = async (db: Db) =>
  (
    await rowsOf(
      db,
      sql`SELECT (SELECT count(*)::int FROM leaver_cases) AS cases, (SELECT count(*)::int FROM leaver_batches) AS batches,
                 (SELECT count(*)::int FROM audit_events) AS events,
                 (SELECT count(*)::int FROM identities WHERE status = 'leaver') AS leavers`,
      { cases: col.num, batches: col.num, events: col.num, leavers: col.num },
    )
  )[0];

describe("import runs: preview and confirm bound to the digest", () => {
  it("confirms only the previewed file, only once, and tells a second person who applied it", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const [a, b] = await numbers(db, 2);
      const csv = `employee_number,note\n${a},x\n${b},y\nE-NOPE,z\n`;
      const run = await previewText(ctx, "test_people", csv, { fileName: "people.csv" });
      expect(run).toMatchObject({ status: "previewed", digest: sha256(csv), fileBytes: Buffer.byteLength(csv) });
      expect(run.counts).toEqual({ read: 3, ok: 2, error: 1, skipped: 0, applied: 0 });

      await expect(confirmRun(ctx, { runId: run.id, digest: sha256(`${csv}#`) })).rejects.toThrow(
        "The file changed since the preview; preview it again.",
      );
      expect((await getRun(ctx, { runId: run.id })).status).toBe("previewed");
      const applied = await confirmRun(ctx, { runId: run.id, digest: run.digest! });
      expect(applied).toMatchObject({ status: "applied", counts: { applied: 2 }, summary: { result: { counted: 2 } } });
      expect(applied.appliedBy).toBe(ctx.actor.name);
      const [event] = await rowsOf(
        db,
        sql`SELECT after, metadata FROM audit_events WHERE action = 'import.apply' AND target_id = ${String(run.id)}`,
        { after: z.unknown(), metadata: col.json(z.record(z.string(), z.unknown()).nullable()) },
      );
      expect(event).toMatchObject({
        after: { kind: "test_people", applied: 2, ok: 2, error: 1 },
        metadata: { digest: run.digest, source: "ui" },
      });

      await expect(confirmRun(ctx, { runId: run.id, digest: run.digest! })).rejects.toThrow(
        /^You already applied this import \(2026-11-02 09:00 UTC\); it is never applied twice\.$/,
      );
      const admin = await ctxAs(db, ["admin"]);
      await expect(confirmRun(admin, { runId: run.id, digest: run.digest! })).rejects.toThrow(
        new Conflict(`${ctx.actor.name} already applied this import (2026-11-02 09:00 UTC).`),
      );
      await expect(discardRun(ctx, { runId: run.id })).rejects.toThrow(Conflict);
    });
  });

  it("refuses a run that is still waiting for its file, was discarded, or failed", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const waiting = await startRun(ctx, { kind: "test_people", source: "ui", fileName: "p.csv" });
      await expect(confirmRun(ctx, { runId: waiting.id, digest: sha256("") })).rejects.toThrow(Conflict);

      const [a] = await numbers(db, 1);
      const discarded = await previewText(ctx, "test_people", `employee_number\n${a}\n`);
      await discardRun(ctx, { runId: discarded.id });
      expect(await db.select().from(importRows).where(eq(importRows.runId, discarded.id))).toEqual([]);
      await expect(confirmRun(ctx, { runId: discarded.id, digest: discarded.digest! })).rejects.toThrow(
        "This import was discarded; upload the file again.",
      );

      const failed = await startRun(ctx, { kind: "test_people", source: "ui" });
      await ingest(ctx, { runId: failed.id, body: bodyOf("x".repeat(100)) }).catch(() => null);
      await db
        .update(importRuns)
        .set({ status: "failed", error: "The disk filled up." })
        .where(eq(importRuns.id, failed.id));
      await expect(confirmRun(ctx, { runId: failed.id, digest: sha256("x".repeat(100)) })).rejects.toThrow(
        "This import failed (The disk filled up.); upload the file again.",
      );
    });
  });

  it("writes everything or nothing: an apply failing after the kind wrote leaves no case, batch or audit event", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const person = await freeLeaver(db);
      const run = await previewText(
        ctx,
        "test_failing_hr",
        `employee_number,reason,last_day\n${person.n},layoff,2026-11-30\n`,
      );
      expect(run.counts.ok).toBe(1);
      const before = await written(db);
      const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
      await expect(confirmRun(ctx, { runId: run.id, digest: run.digest! })).rejects.toThrow("went away mid-apply");
      quiet.mockRestore();
      expect(await written(db)).toEqual(before);
      const after = await getRun(ctx, { runId: run.id });
      expect(after).toMatchObject({
        status: "failed",
        error: "Applying failed; nothing was written. The error was logged.",
        counts: { applied: 0 },
      });
      // The same rows through the real kind do write: the failure above was the rollback, not an empty apply.
      const real = await previewText(
        ctx,
        "hr_leavers",
        `employee_number,reason,last_day\n${person.n},layoff,2026-11-30\n`,
      );
      await confirmRun(ctx, { runId: real.id, digest: real.digest! });
      expect((await written(db)).cases).toBe(before.cases + 1);
    });
  });

  it("lets an abandoned apply (its process died) be confirmed again, but not one still running", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const [a] = await numbers(db, 1);
      const run = await previewText(ctx, "test_people", `employee_number\n${a}\n`);
      const claim = (minutesAgo: number) =>
        db
          .update(importRuns)
          .set({
            status: "applying",
            claimToken: "dead",
            appliedByLabel: "Someone Else",
            applyStartedAt: new Date(ctx.now.getTime() - minutesAgo * 60_000),
          })
          .where(eq(importRuns.id, run.id));
      await claim(5);
      await expect(confirmRun(ctx, { runId: run.id, digest: run.digest! })).rejects.toThrow(
        "Someone Else is applying this import right now.",
      );
      await claim(31);
      expect((await confirmRun(ctx, { runId: run.id, digest: run.digest! })).status).toBe("applied");
    });
  });
});

describe("import runs: who may do what", () => {
  it("refuses every pipeline function to roles without imports.run", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const [a] = await numbers(db, 1);
      const run = await previewText(ctx, "test_people", `employee_number\n${a}\n`);
      for (const role of ["manager", "executive", "approver"] as const) {
        const wrong = await ctxAs(db, [role]);
        const calls = [
          startRun(wrong, { kind: "test_people", source: "ui" }),
          ingest(wrong, { runId: run.id, body: bodyOf("employee_number\n") }),
          getRun(wrong, { runId: run.id }),
          listRows(wrong, { runId: run.id, filter: "all", after: 0, limit: 10 }),
          confirmRun(wrong, { runId: run.id, digest: run.digest! }),
          discardRun(wrong, { runId: run.id }),
        ];
        for (const call of calls) await expect(call, role).rejects.toThrow(Forbidden);
      }
      expect((await getRun(ctx, { runId: run.id })).status).toBe("previewed");
    });
  });

  it("checks the kind's own permission on every lookup, and hides runs the kind does not show the viewer", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const analyst = await ctxAs(db, ["analyst"]);
      const [a] = await numbers(db, 1);
      const run = await previewText(admin, "test_admin_only", `employee_number\n${a}\n`);
      await expect(startRun(analyst, { kind: "test_admin_only", source: "ui" })).rejects.toThrow(Forbidden);
      await expect(getRun(analyst, { runId: run.id })).rejects.toThrow(Forbidden);
      await expect(listRows(analyst, { runId: run.id, filter: "all", after: 0, limit: 10 })).rejects.toThrow(Forbidden);
      await expect(confirmRun(analyst, { runId: run.id, digest: run.digest! })).rejects.toThrow(Forbidden);
      // Another admin holds the permission, but this kind shows a run only to the person who started it.
      const other = makeCtx(userActor(admin.actor.id! + 1, "Other Admin", ["admin"]), db, admin.now);
      await expect(getRun(other, { runId: run.id })).rejects.toThrow(NotFound);
      await expect(confirmRun(other, { runId: run.id, digest: run.digest! })).rejects.toThrow(NotFound);
      await expect(getRun(admin, { runId: 987_654 })).rejects.toThrow(NotFound);
      await expect(startRun(admin, { kind: "no_such_kind", source: "ui" })).rejects.toThrow(NotFound);
    });
  });

  it("takes a run's file from the person who started it, once", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const admin = await ctxAs(db, ["admin"]);
      const run = await startRun(ctx, { kind: "test_people", source: "ui" });
      await expect(ingest(admin, { runId: run.id, body: bodyOf("employee_number\nE1\n") })).rejects.toThrow(Forbidden);
      await ingest(ctx, { runId: run.id, body: bodyOf("employee_number\nE1\n") });
      await expect(ingest(ctx, { runId: run.id, body: bodyOf("employee_number\nE2\n") })).rejects.toThrow(
        "This import already has its file; start a new import for another file.",
      );
      await expect(discardRun(admin, { runId: run.id })).rejects.toThrow(Forbidden);
      // Actors without an identity (the CLI's, a machine client) are told apart by name.
      const cli = makeCtx({ kind: "system", id: null, name: "import CLI (alice)", roles: [] }, db, ctx.now);
      const otherCli = makeCtx({ kind: "system", id: null, name: "import CLI (bob)", roles: [] }, db, ctx.now);
      const cliRun = await startRun(cli, { kind: "test_people", source: "cli" });
      await expect(ingest(otherCli, { runId: cliRun.id, body: bodyOf("employee_number\nE1\n") })).rejects.toThrow(
        Forbidden,
      );
      await expect(ingest(cli, { runId: cliRun.id, body: bodyOf("employee_number\nE1\n") })).resolves.toMatchObject({
        status: "previewed",
      });
    });
  });
});

describe("import runs: reading the file", () => {
  it("keeps counters current batch by batch, validates each batch with one lookup, and pages rows by status", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const known = await numbers(db, 50);
      // 2,500 rows: every fifth unknown.
      const lines = Array.from({ length: 2_500 }, (_, i) => (i % 5 === 4 ? `X${i},n` : `${known[i % 50]},n`));
      const run = await startRun(ctx, { kind: "test_people", source: "ui" });
      const seen: IngestProgress[] = [];
      lookups.length = 0;
      const done = await ingest(ctx, {
        runId: run.id,
        body: bodyOf(`employee_number,note\n${lines.join("\n")}\n`, 4096),
        onProgress: (progress) => seen.push(progress),
      });
      expect(seen.map((s) => s.read)).toEqual([1000, 2000, 2500, 2500]);
      expect(seen.map((s) => s.error)).toEqual([200, 400, 500, 500]);
      expect(seen[0].bytes).toBeGreaterThan(0);
      expect(lookups).toEqual([1000, 1000, 500]);
      expect(done.counts).toEqual({ read: 2500, ok: 2000, error: 500, skipped: 0, applied: 0 });

      const errors = await listRows(ctx, { runId: run.id, filter: "error", after: 0, limit: 200 });
      expect(errors.rows).toHaveLength(200);
      expect(errors.rows[0]).toMatchObject({ line: 6, status: "error", message: "No person with employee number X4." });
      const next = await listRows(ctx, { runId: run.id, filter: "error", after: errors.next!, limit: 1000 });
      expect(next.rows).toHaveLength(300);
      expect(next.next).toBeNull();
    });
  });

  it("shows progress to a poller while a file is read, and stops when the run is discarded meanwhile", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const [a] = await numbers(db, 1);
      const run = await startRun(ctx, { kind: "test_people", source: "ui" });
      const polled: number[] = [];
      let flushed = () => {};
      const nextFlush = () => new Promise<void>((resolve) => (flushed = resolve));
      async function* slowBody() {
        yield "employee_number\n";
        for (let batch = 0; batch < 2; batch++) {
          const stored = nextFlush();
          yield `${a}\n`.repeat(1000);
          // Poll as the page does once the batch is stored; the upload is still going on.
          await stored;
          polled.push((await getRun(ctx, { runId: run.id })).counts.read);
        }
        await discardRun(ctx, { runId: run.id });
        yield `${a}\n`.repeat(1000);
      }
      await expect(ingest(ctx, { runId: run.id, body: slowBody(), onProgress: () => flushed() })).rejects.toThrow(
        "This import was discarded while its file was being read.",
      );
      expect(polled).toEqual([1000, 2000]);
      expect((await getRun(ctx, { runId: run.id })).status).toBe("discarded");
      expect(await db.select().from(importRows).where(eq(importRows.runId, run.id))).toEqual([]);
    });
  });

  it("counts lines across quoted line breaks, CRLF and a byte-order mark", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const [a, b] = await numbers(db, 2);
      const csv = `\uFEFFEmployee_Number,Note\r\n${a},"two\r\nlines"\r\n\r\nX1,é\r\n${b},"three\nlines\nhere"\r\nX2,x\r\n`;
      const run = await previewText(ctx, "test_people", csv);
      const rows = await allRows(ctx, run.id);
      expect(rows.map((r) => [r.line, r.key, r.status])).toEqual([
        [2, a, "ok"],
        [5, "X1", "error"],
        [6, b, "ok"],
        [9, "X2", "error"],
      ]);
      expect(rows[0].data).toEqual({ note: "two\r\nlines" });
      expect(run.digest).toBe(sha256(csv));
    });
  });

  it("refuses a file over the kind's byte limit (413) or row limit, keeping no rows", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const run = await startRun(ctx, { kind: "hr_leavers", source: "ui", fileName: "big.csv" });
      const big = `employee_number,reason,last_day\n${"E1,layoff,2026-11-30\n".repeat(300_000)}`;
      const err = await ingest(ctx, { runId: run.id, body: bodyOf(big, 65_536) }).catch((e) => e);
      expect(err).toBeInstanceOf(TooLarge);
      expect(err.message).toBe("The file is larger than 5 MB.");
      expect(await getRun(ctx, { runId: run.id })).toMatchObject({ status: "failed", error: err.message });
      expect(await db.select().from(importRows).where(eq(importRows.runId, run.id))).toEqual([]);

      const long = `employee_number,reason,last_day\n${"E1,layoff,2026-11-30\n".repeat(20_003)}`;
      const tooLong = await previewText(ctx, "hr_leavers", long);
      expect(tooLong.fileErrors).toEqual([{ message: "The file has 20,003 rows; import at most 20,000 at a time." }]);
      expect(tooLong.counts.read).toBe(20_003);
      expect(await db.select().from(importRows).where(eq(importRows.runId, tooLong.id))).toEqual([]);
      await expect(confirmRun(ctx, { runId: tooLong.id, digest: tooLong.digest! })).rejects.toThrow(Invalid);
    });
  });

  it("streams a 100,000-row file: one batch at a time, the heap never holding the file", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const known = await numbers(db, 200);
      const ROWS = 100_000;
      const note = "n".repeat(380);
      let bytes = 0;
      // ~40 MB generated as it is read: the test itself never holds the file either.
      async function* file() {
        yield "employee_number,note\n";
        for (let i = 0; i < ROWS; i += 500) {
          let chunk = "";
          for (let j = i; j < i + 500; j++) chunk += `${j % 10 === 9 ? `X${j}` : known[j % 200]},${note}\n`;
          bytes += chunk.length;
          yield chunk;
        }
      }
      v8.setFlagsFromString("--expose-gc");
      const gc = vm.runInNewContext("gc") as () => void;
      gc();
      const baseline = process.memoryUsage().heapUsed;
      let peak = 0;
      const run = await startRun(ctx, { kind: "test_people", source: "cli", fileName: "100k.csv" });
      const done = await ingest(ctx, {
        runId: run.id,
        body: file(),
        onProgress: (p) => {
          if (p.read % 20_000 !== 0) return;
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        },
      });
      expect(bytes).toBeGreaterThan(38_000_000);
      expect(done.counts).toMatchObject({ read: ROWS, ok: 90_000, error: 10_000 });
      expect(done.fileBytes).toBe(bytes + "employee_number,note\n".length);
      // Holding the file as one string alone would add ~40 MB; batches of 1,000 rows stay far below it.
      expect(peak / 1e6, `heap grew ${(peak / 1e6).toFixed(1)} MB`).toBeLessThan(16);
    });
    // ~6–9 s on this machine when it is quiet; the timeout (not an assertion on a shared machine) bounds it.
  }, 60_000);
});
