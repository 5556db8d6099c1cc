import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { Forbidden, Invalid } from "@/lib/errors";
import { confirmRun, startRun } from "@/lib/imports";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { allRows, previewText } from "@/lib/testing/imports";
import { rowsOf } from "@/lib/testing/sql";
import { listInventory } from "../queries";

/** A system whose endpoints include a bulk one returning PII, its scope, a service account and two people. */
async function fixture(db: Db) {
  const [ep] = await rowsOf(
    db,
    sql`SELECT e.system_id, s.name AS system, s.slug, e.scope FROM api_endpoints e JOIN systems s ON s.id = e.system_id
         WHERE e.bulk AND 'pii' = ANY(e.data_classes) ORDER BY e.id LIMIT 1`,
    { system_id: col.int, system: col.text, slug: col.text, scope: col.text },
  );
  const [svc] = await rowsOf(
    db,
    sql`SELECT id, display_name AS name FROM identities WHERE kind = 'service_account'
         AND lower(display_name) NOT IN (SELECT lower(display_name) FROM identities GROUP BY 1 HAVING count(*) > 1) ORDER BY id LIMIT 1`,
    { id: col.int, name: col.text },
  );
  const people = await rowsOf(
    db,
    sql`SELECT id, email FROM identities WHERE kind = 'human' AND status = 'active' AND email IS NOT NULL ORDER BY id LIMIT 2`,
    { id: col.int, email: col.text },
  );
  return { ep, svc, people };
}
const credentialCount = async (db: Db) =>
  (await rowsOf(db, sql`SELECT count(*)::int AS n FROM credentials`, { n: col.int }))[0].n;

describe("Credentials from CSV or JSON (kind credentials)", () => {
  it("imports a JSON export, shows it in the inventory with its findings, and re-imports as unchanged", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const { ep, svc, people } = await fixture(db);
      const json = JSON.stringify({
        value: [
          {
            id: "tok-1",
            name: "Nightly export",
            issuer: ep.system,
            holder: svc.name,
            owner: people[0].email.toUpperCase(),
            type: "token",
            scopes: [ep.scope],
            createdAt: "2026-01-05",
            lastUsedAt: "2026-10-01T08:00:00Z",
          },
          {
            id: "cli-2",
            issuer: ep.slug,
            holder: people[1].email,
            type: "oauth client",
            scopes: "a b",
            expires: "2027-01-01",
          },
        ],
      });
      const before = await credentialCount(db);
      const preview = await previewText(ctx, "credentials", json, { fileName: "tokens.json" });
      expect(preview.fileErrors).toEqual([]);
      const rows = await allRows(ctx, preview.id);
      expect(rows.map((r) => [r.pointer, r.code, r.message])).toEqual([
        ["/value/0", "new", null],
        ["/value/1", "new", null],
      ]);
      expect(await credentialCount(db)).toBe(before);
      const done = await confirmRun(ctx, { runId: preview.id, digest: preview.digest! });
      expect(done.summary.result).toEqual({ created: 2, updated: 0, handles: 0 });
      expect(await credentialCount(db)).toBe(before + 2);

      const page = await listInventory(ctx, { system: ep.system_id, limit: 500 });
      const tok = page.items.find((c) => c.name === "Nightly export");
      expect(tok).toMatchObject({ kind: "personal_access_token", holderId: svc.id, ownerId: people[0].id });
      expect(tok?.findings).toEqual(expect.arrayContaining(["bulk_pii", "no_expiry"]));
      expect(tok?.blastRadius).toBeGreaterThan(0);
      const cli = page.items.find((c) => c.name === "cli-2");
      expect(cli?.findings).toContain("orphaned");

      const again = await previewText(ctx, "credentials", json, { fileName: "tokens.json" });
      expect((await allRows(ctx, again.id)).map((r) => r.code)).toEqual(["unchanged", "unchanged"]);
      await expect(confirmRun(ctx, { runId: again.id, digest: again.digest! })).rejects.toThrow(Invalid);
    });
  });

  it("reads a mapped CSV, answers bad rows with line and reason, and updates what changed", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["admin"]);
      const { ep, svc, people } = await fixture(db);
      const columns = { external_id: "Key ID", holder: "Used by", kind: "Kind", owner: "Owner", last_used: "Seen" };
      const csv = (seen: string) =>
        [
          "Key ID,Used by,Kind,Owner,Seen,Scopes",
          `k-1,${svc.name},key,${people[0].email},${seen},${ep.scope}`,
          `k-2,nobody@nowhere.example,key,,,`,
          `k-3,${svc.name},password,,,`,
          `k-4,${svc.name},key,,yesterday,`,
          `k-5,${svc.name},key,ghost@nowhere.example,,`,
          `k-1,${svc.name},key,,,`,
        ].join("\n");
      const params = { systemId: ep.system_id, columns };
      const preview = await previewText(ctx, "credentials", csv("2026-10-01"), { params });
      const byLine = Object.fromEntries(
        (await allRows(ctx, preview.id)).map((r) => [r.line, [r.code ?? r.status, r.message]]),
      );
      expect(byLine[2]).toEqual(["new", null]);
      expect(byLine[3][1]).toBe('No identity matches the holder "nobody@nowhere.example".');
      expect(byLine[4][1]).toMatch(/Unknown kind "password"/);
      expect(byLine[5][1]).toMatch(/Last used "yesterday" is not a date/);
      expect(byLine[6][1]).toBe('No person matches the owner "ghost@nowhere.example".');
      expect(byLine[7][0]).toBe("duplicate");
      await confirmRun(ctx, { runId: preview.id, digest: preview.digest! });

      const later = await previewText(ctx, "credentials", csv("2026-11-01"), { params });
      expect((await allRows(ctx, later.id)).find((r) => r.line === 2)?.code).toBe("changed");
      const done = await confirmRun(ctx, { runId: later.id, digest: later.digest! });
      expect(done.summary.result).toEqual({ created: 0, updated: 1, handles: 0 });
      const [k1] = await rowsOf(
        db,
        sql`SELECT c.last_used_at, r.last_activity_at FROM credentials c JOIN credential_risk r ON r.credential_id = c.id
             WHERE c.issuer_system_id = ${ep.system_id} AND c.external_ref = 'k-1'`,
        { last_used_at: col.iso, last_activity_at: col.iso },
      );
      expect(k1).toEqual({ last_used_at: "2026-11-01T00:00:00.000Z", last_activity_at: "2026-11-01T00:00:00.000Z" });

      const noIssuer = await previewText(ctx, "credentials", "id,holder,kind\nx,a@b.example,key\n");
      expect((await allRows(ctx, noIssuer.id))[0].message).toMatch(/No issuer/);
      const missing = await previewText(ctx, "credentials", "id,kind\nx,key\n", { params: { systemId: ep.system_id } });
      expect(missing.fileErrors[0].message).toMatch(/^No column for Holder/);
    });
  });

  it("refuses roles without api_scopes.manage", async () => {
    await rollback(async (db) => {
      for (const role of ["manager", "executive", "approver"] as const) {
        const wrong = await ctxAs(db, [role]);
        await expect(startRun(wrong, { kind: "credentials", source: "ui", params: {} })).rejects.toThrow(Forbidden);
      }
    });
  });
});
