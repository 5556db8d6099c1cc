import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { intArray } from "@/db/sql";
import type { Ctx } from "@/lib/context";
import { Conflict, Forbidden, Invalid } from "@/lib/errors";
import { confirmRun } from "@/lib/imports";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { allRows, previewText } from "@/lib/testing/imports";
import { rowsOf } from "@/lib/testing/sql";
import { updateLiftSettings } from "../lift-settings";
import { DEFAULT_LIFT_SETTINGS } from "../vendor-mapping";
import type { FactorImportSummary, FactorRowData } from "./kind";

const FIXTURES = path.join(__dirname, "fixtures");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");

/** The fixtures' organisation: fresh people (no seeded factors), so their posture is the export's alone. */
const PEOPLE = [
  { name: "Ada Lovelace", email: "ada.lovelace@northwind.example" },
  { name: "Grace Hopper", email: "grace.hopper@northwind.example" },
  { name: "Alan Turing", email: "alan.turing@northwind.example" },
  { name: "Katherine Johnson", email: "katherine.johnson@northwind.example" },
  { name: "Margaret Hamilton", email: "margaret.hamilton@northwind.example", userName: "mhamilton" },
  { name: "Hedy Lamarr", email: "hedy.lamarr@northwind.example" },
  { name: "Linus Partner", email: "linus@partner.example" },
  { name: "Former Intern", email: "former.intern@northwind.example", kind: "service_account" },
];

async function addPeople(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const p of PEOPLE) {
    const [row] = await rowsOf(
      db,
      sql`INSERT INTO identities (kind, display_name, email, user_name, department_id)
          VALUES (${p.kind ?? "human"}::identity_kind, ${p.name}, ${p.email}, ${p.userName ?? null},
                  (SELECT id FROM departments ORDER BY id LIMIT 1)) RETURNING id`,
      { id: col.int },
    );
    out[p.name] = row.id;
  }
  return out;
}

const postureOf = async (db: Db, ids: Record<string, number>) =>
  Object.fromEntries(
    (
      await rowsOf(
        db,
        sql`SELECT i.display_name AS name, p.primary_strength AS p, p.recovery_strength AS r, p.effective_strength AS e,
                   p.phishing_resistant AS pr
              FROM identity_posture p JOIN identities i ON i.id = p.identity_id
             WHERE p.identity_id = ANY(${intArray(Object.values(ids))})`,
        { name: col.text, p: col.int, r: col.intOrNull, e: col.int, pr: col.bool },
      )
    ).map((x) => [x.name, { primary: x.p, recovery: x.r, effective: x.e, phishingResistant: x.pr }]),
  );

const factorsOf = async (db: Db, id: number) =>
  (
    await rowsOf(
      db,
      sql`SELECT type::text AS type, usage::text AS usage, status::text AS status, user_verification AS uv, source, source_key AS key, channel
            FROM authenticators WHERE identity_id = ${id} ORDER BY source_key, usage, status`,
      {
        type: col.text,
        usage: col.text,
        status: col.text,
        uv: col.bool,
        source: col.textOrNull,
        key: col.textOrNull,
        channel: col.textOrNull,
      },
    )
  ).map(
    (f) =>
      `${f.status} ${f.usage} ${f.type}${f.uv ? "" : " (no UV)"} ← ${f.source}:${f.key}${f.channel ? ` [${f.channel}]` : ""}`,
  );

const counts = async (db: Db) =>
  (
    await rowsOf(
      db,
      sql`SELECT (SELECT count(*) FROM authenticators)::int AS factors, (SELECT count(*) FROM audit_events)::int AS events,
                 (SELECT count(*) FROM identity_posture WHERE updated_at > now() - interval '1 hour')::int AS touched`,
      { factors: col.int, events: col.int, touched: col.int },
    )
  )[0];

type Row = { code: string; message: string | null; data: FactorRowData; person: string | null };
const byKey = (rows: Awaited<ReturnType<typeof allRows>>): Record<string, Row> =>
  Object.fromEntries(
    rows.map((r) => [
      r.key ?? "",
      { code: r.code ?? r.status, message: r.message, data: r.data as FactorRowData, person: r.targetLabel },
    ]),
  );

async function importText(ctx: Ctx, kind: string, text: string, fileName: string) {
  const preview = await previewText(ctx, kind, text, { fileName });
  expect(preview.fileErrors).toEqual([]);
  return preview;
}

// Each test previews and applies several exports: generous time when the machine is busy.
describe("Entra ID registration details (kind entra_factors)", { timeout: 180_000 }, () => {
  it("maps every method to a factor, use and strength; lists unknown methods, guests, TAP-only and the unmatched", async () => {
    await rollback(async (db) => {
      const ids = await addPeople(db);
      const ctx = await ctxAs(db, ["analyst"]);
      const before = await counts(db);
      const preview = await importText(ctx, "entra_factors", fixture("entra-registration-details.json"), "urd.json");
      // Nothing written by the preview.
      expect(await counts(db)).toEqual(before);

      const rows = byKey(await allRows(ctx, preview.id));
      expect(Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, r.code]))).toEqual({
        "Ada.Lovelace@northwind.example": "new",
        "grace.hopper@northwind.example": "new",
        "alan.turing@northwind.example": "new",
        "katherine.johnson@northwind.example": "no_factors",
        "margaret.hamilton@northwind.example": "new",
        "hedy.lamarr@northwind.example": "new",
        "linus_partner.example#EXT#@northwind.onmicrosoft.com": "new",
        "vendor.support_supplier.example#EXT#@northwind.onmicrosoft.com": "unmatched",
        "former.intern@northwind.example": "not_person",
      });
      const ada = rows["Ada.Lovelace@northwind.example"];
      expect(ada.person).toBe("Ada Lovelace");
      expect(ada.data.factors.map((f) => `${f.usage} ${f.type}`)).toEqual([
        "primary security_key",
        "primary push_number_match",
        "recovery push_number_match",
        "primary sms_otp",
        "recovery sms_otp",
      ]);
      expect(ada.data.strength).toEqual({ primary: 5, effective: 2 });
      expect(rows["katherine.johnson@northwind.example"].data.flags).toEqual(["temporary_pass_only"]);
      expect(rows["katherine.johnson@northwind.example"].message).toMatch(/Only a temporary access pass/);
      expect(rows["margaret.hamilton@northwind.example"].data.unknown).toEqual(["quantumEntangledToken"]);
      expect(rows["hedy.lamarr@northwind.example"].data.ignored).toEqual([
        { method: "externalAuthMethod", reason: "listed, not counted" },
      ]);
      const linus = rows["linus_partner.example#EXT#@northwind.onmicrosoft.com"];
      expect(linus).toMatchObject({ person: "Linus Partner" });
      expect(linus.data.flags).toEqual(["guest"]);
      const stranger = rows["vendor.support_supplier.example#EXT#@northwind.onmicrosoft.com"];
      expect(stranger.message).toMatch(/^No person with UPN vendor\.support_supplier\.example#EXT#/);
      expect(stranger.data.flags).toEqual(["guest", "password_only"]);

      const summary = preview.summary as unknown as FactorImportSummary;
      expect(summary.unknownMethods).toEqual([{ method: "quantumEntangledToken", people: 1 }]);
      expect(summary.flags).toEqual({ guest: 2, temporary_pass_only: 1, password_only: 1 });
      expect(preview.counts).toMatchObject({ read: 9, ok: 6, error: 0, skipped: 3 });

      const applied = await confirmRun(ctx, { runId: preview.id, digest: preview.digest! });
      expect(applied.summary.result).toEqual({ source: "entra", people: 6, added: 14, updated: 0, revoked: 0 });
      expect(await postureOf(db, ids)).toMatchObject({
        "Ada Lovelace": { primary: 5, recovery: 2, effective: 2, phishingResistant: true },
        "Grace Hopper": { primary: 5, recovery: null, effective: 5, phishingResistant: true },
        "Alan Turing": { primary: 2, recovery: 1, effective: 1, phishingResistant: false },
        "Katherine Johnson": { primary: 0, recovery: null, effective: 0 },
        "Margaret Hamilton": { primary: 3, recovery: 3, effective: 3 },
        "Hedy Lamarr": { primary: 4, recovery: null, effective: 4, phishingResistant: true },
        "Linus Partner": { primary: 2, recovery: null, effective: 2 },
      });
      expect(await factorsOf(db, ids["Alan Turing"])).toEqual([
        "active recovery email_otp ← entra:email [email]",
        "active primary sms_otp ← entra:mobilePhone [sms]",
        "active recovery sms_otp ← entra:mobilePhone [sms]",
      ]);
      const [event] = await rowsOf(
        db,
        sql`SELECT action, after FROM audit_events WHERE action = 'factor.import' ORDER BY id DESC LIMIT 1`,
        { action: col.text, after: col.json(z.unknown()) },
      );
      expect(event.after).toMatchObject({ added: 14, people: 6 });

      // The same export again: every matched person is unchanged, nothing can be applied, nothing moves.
      const afterApply = await counts(db);
      const again = await importText(ctx, "entra_factors", fixture("entra-registration-details.json"), "urd.json");
      expect(again.counts.ok).toBe(0);
      expect(again.codes).toMatchObject({ unchanged: 6 });
      await expect(confirmRun(ctx, { runId: again.id, digest: again.digest! })).rejects.toThrow(Invalid);
      expect(await counts(db)).toEqual(afterApply);
    });
  });

  it("reads the CSV export the same way (display names of methods, blank SSPR columns)", async () => {
    await rollback(async (db) => {
      const ids = await addPeople(db);
      const ctx = await ctxAs(db, ["analyst"]);
      const json = byKey(
        await allRows(
          ctx,
          (await importText(ctx, "entra_factors", fixture("entra-registration-details.json"), "a.json")).id,
        ),
      );
      const csvRun = await importText(ctx, "entra_factors", fixture("entra-registration-details.csv"), "a.csv");
      const csv = byKey(await allRows(ctx, csvRun.id));
      for (const [k, r] of Object.entries(json)) {
        expect(csv[k]?.code, k).toBe(r.code);
        expect(
          csv[k]?.data.factors.map((f) => [f.key, f.type, f.usage]),
          k,
        ).toEqual(r.data.factors.map((f) => [f.key, f.type, f.usage]));
        expect(csv[k]?.data.flags, k).toEqual(r.data.flags);
      }
      expect((await allRows(ctx, csvRun.id)).find((r) => r.key === "grace.hopper@northwind.example")?.line).toBe(3);
      await confirmRun(ctx, { runId: csvRun.id, digest: csvRun.digest! });
      expect((await postureOf(db, ids))["Alan Turing"]).toMatchObject({ effective: 1 });
    });
  });

  it("answers bad input with the line or JSON pointer and the reason, and writes nothing", async () => {
    await rollback(async (db) => {
      await addPeople(db);
      const ctx = await ctxAs(db, ["analyst"]);
      const before = await counts(db);
      const cut = fixture("entra-registration-details.json").replace(
        '"fido2", "microsoftAuthenticatorPush"',
        '"fido2" "microsoftAuthenticatorPush"',
      );
      const broken = await previewText(ctx, "entra_factors", cut, { fileName: "broken.json" });
      expect(broken.fileErrors).toEqual([
        {
          message: expect.stringMatching(
            /^Invalid JSON at line 18, column 37: expected ',' or ']' after array element\.$/,
          ),
        },
      ]);
      expect(broken.counts.read).toBe(0);
      const truncated = await previewText(
        ctx,
        "entra_factors",
        fixture("entra-registration-details.json").slice(0, 900),
      );
      expect(truncated.fileErrors[0].message).toMatch(/ends before the document is complete/);

      const doc = JSON.parse(fixture("entra-registration-details.json"));
      doc.value[2].methodsRegistered = "mobilePhone";
      doc.value[4].methodsRegistered = ["softwareOneTimePasscode", 7];
      delete doc.value[5].userPrincipalName;
      const bad = await previewText(ctx, "entra_factors", JSON.stringify(doc, null, 2), { fileName: "bad.json" });
      const errors = (await allRows(ctx, bad.id))
        .filter((r) => r.status === "error")
        .map((r) => [r.pointer, r.message]);
      expect(errors).toEqual([
        [
          "/value/2/methodsRegistered",
          "methodsRegistered of alan.turing@northwind.example is not a list of method names.",
        ],
        ["/value/4/methodsRegistered/1", "A method of margaret.hamilton@northwind.example is not a name (7)."],
        ["/value/5/userPrincipalName", "userPrincipalName is missing."],
      ]);
      // One bad record blocks the export: factors are all or nothing.
      await expect(confirmRun(ctx, { runId: bad.id, digest: bad.digest! })).rejects.toThrow(
        /3 problems; nothing was imported/,
      );

      const ps = "UserPrincipalName,MethodsRegistered\nada.lovelace@northwind.example,System.String[]\n";
      const psRun = await previewText(ctx, "entra_factors", ps, { fileName: "ps.csv" });
      const [psRow] = await allRows(ctx, psRun.id);
      expect(psRow).toMatchObject({ line: 2, status: "error" });
      expect(psRow.message).toMatch(/PowerShell wrote the list's type/);
      const noColumns = await previewText(ctx, "entra_factors", "name,phone\nAda,555\n", { fileName: "x.csv" });
      expect(noColumns.fileErrors[0].message).toMatch(/needs userPrincipalName and methodsRegistered columns/);
      expect(await counts(db)).toEqual(before);
    });
  });

  it("refuses people without factors.manage, and keeps managers and executives out of the runs", async () => {
    await rollback(async (db) => {
      for (const roles of [["manager"], ["executive"], ["approver"]] as const) {
        const ctx = await ctxAs(db, [...roles]);
        await expect(previewText(ctx, "entra_factors", "[]")).rejects.toThrow(Forbidden);
      }
      const admin = await ctxAs(db, ["admin"]);
      const run = await previewText(admin, "entra_factors", fixture("entra-registration-details.json"));
      expect(run.status).toBe("previewed");
      // Lifting a method is a policy: analysts may import, not change what methods count as.
      await expect(
        updateLiftSettings(await ctxAs(db, ["analyst"]), { ...DEFAULT_LIFT_SETTINGS, oktaNumberChallenge: true }),
      ).rejects.toThrow(Forbidden);
    });
  });
});

describe("Okta List Factors (kind okta_factors)", { timeout: 180_000 }, () => {
  it("counts only active factors, takes the conservative reading, and lifts it when the organisation says so", async () => {
    await rollback(async (db) => {
      const ids = await addPeople(db);
      const ctx = await ctxAs(db, ["analyst"]);
      const preview = await importText(ctx, "okta_factors", fixture("okta-factors.json"), "okta.json");
      const rows = byKey(await allRows(ctx, preview.id));
      expect(Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, r.code]))).toEqual({
        "ada.lovelace@northwind.example": "new",
        "grace.hopper@northwind.example": "new",
        "alan.turing@northwind.example": "new",
        "katherine.johnson@northwind.example": "new",
        mhamilton: "new",
        "hedy.lamarr@northwind.example": "no_factors",
        "contractor.gone@northwind.example": "unmatched",
      });
      expect(rows["alan.turing@northwind.example"].data.ignored).toEqual([
        { method: "token:software:totp", reason: "PENDING_ACTIVATION: not active, not counted" },
      ]);
      expect(rows["hedy.lamarr@northwind.example"].data).toMatchObject({
        unknown: ["custom_claims"],
        ignored: [{ method: "call", reason: "NOT_SETUP: not active, not counted" }],
        flags: ["password_only"],
      });
      expect(rows.mhamilton.person).toBe("Margaret Hamilton");
      expect((preview.summary as unknown as FactorImportSummary).unknownMethods).toEqual([
        { method: "custom_claims", people: 1 },
      ]);
      await confirmRun(ctx, { runId: preview.id, digest: preview.digest! });
      expect(await postureOf(db, ids)).toMatchObject({
        "Ada Lovelace": { primary: 4, effective: 4, phishingResistant: true },
        "Grace Hopper": { primary: 4, effective: 4 },
        "Alan Turing": { primary: 1, effective: 1 },
        "Katherine Johnson": { primary: 4, effective: 4, phishingResistant: false },
        "Margaret Hamilton": { primary: 4, recovery: 1, effective: 1, phishingResistant: false },
        "Hedy Lamarr": { primary: 0, effective: 0 },
      });
      expect(await factorsOf(db, ids["Alan Turing"])).toEqual([
        "active primary push_approve ← okta:opf1alanPush0x7 [push:okta-verify]",
      ]);

      // The admin says number challenge is always on, authenticators are device-bound and FastPass verifies the
      // user: what was imported is re-mapped at once, audited, and the posture follows.
      const admin = await ctxAs(db, ["admin"]);
      const lifted = await updateLiftSettings(admin, {
        oktaNumberChallenge: true,
        oktaWebauthnDeviceBound: true,
        oktaFastPassUserVerification: true,
      });
      expect(lifted).toMatchObject({ changed: 3, remapped: 5 });
      expect(await postureOf(db, ids)).toMatchObject({
        "Ada Lovelace": { primary: 5, effective: 5 },
        "Grace Hopper": { primary: 5, effective: 5 },
        "Alan Turing": { primary: 3, effective: 3 },
        "Katherine Johnson": { primary: 5, effective: 5, phishingResistant: true },
      });
      const events = await rowsOf(
        db,
        sql`SELECT target_id AS key, after FROM audit_events WHERE action = 'settings.update' ORDER BY id DESC LIMIT 3`,
        { key: col.text, after: col.json(z.unknown()) },
      );
      expect(events.map((e) => e.key).sort()).toEqual([
        "factor_okta_fastpass_user_verification",
        "factor_okta_push_number_challenge",
        "factor_okta_webauthn_device_bound",
      ]);
      // A new export is now read with the lifted settings, so the same export changes nothing.
      const again = await importText(ctx, "okta_factors", fixture("okta-factors.json"), "okta.json");
      expect(again.codes).toMatchObject({ unchanged: 5 });

      // The second shape (keyed by login): Grace's factor is unchanged (its inactive SMS is not counted); Alan's
      // push is gone from Okta, so it is revoked, and his new TOTP app is added.
      const next = await importText(ctx, "okta_factors", fixture("okta-factors-by-login.json"), "okta-2.json");
      const nextRows = byKey(await allRows(ctx, next.id));
      expect(nextRows["grace.hopper@northwind.example"].code).toBe("unchanged");
      expect(nextRows["alan.turing@northwind.example"]).toMatchObject({
        code: "changed",
        data: { change: { added: 1, updated: 0, revoked: 1 } },
      });
      const done = await confirmRun(ctx, { runId: next.id, digest: next.digest! });
      expect(done.summary.result).toEqual({ source: "okta", people: 1, added: 1, updated: 0, revoked: 1 });
      expect(await factorsOf(db, ids["Alan Turing"])).toEqual([
        "revoked primary push_number_match ← okta:opf1alanPush0x7 [push:okta-verify]",
        "active primary totp ← okta:ost1alanTotp0x7",
      ]);
      expect((await postureOf(db, ids))["Alan Turing"]).toMatchObject({ primary: 3, effective: 3 });
    });
  });

  it("names the place of a malformed factor, refuses a bare List Factors response, and writes nothing", async () => {
    await rollback(async (db) => {
      await addPeople(db);
      const ctx = await ctxAs(db, ["analyst"]);
      const before = await counts(db);
      const doc = JSON.parse(fixture("okta-factors.json"));
      delete doc[4].factors[2].factorType;
      const bad = await previewText(ctx, "okta_factors", JSON.stringify(doc, null, 1));
      const [err] = (await allRows(ctx, bad.id)).filter((r) => r.status === "error");
      expect(err).toMatchObject({ pointer: "/4/factors/2/factorType", message: "factorType is missing." });
      expect(err.line).toBeGreaterThan(1);
      await expect(confirmRun(ctx, { runId: bad.id, digest: bad.digest! })).rejects.toThrow(/nothing was imported/);
      const bare = await previewText(ctx, "okta_factors", JSON.stringify(doc[0].factors));
      expect((await allRows(ctx, bare.id))[0].message).toMatch(/one user's List Factors response/);
      const notJson = await previewText(ctx, "okta_factors", "login,factor\n");
      expect(notJson.fileErrors[0].message).toMatch(/is not a JSON array of users/);
      expect(await counts(db)).toEqual(before);
      // A run applied once is never applied again.
      const good = await importText(ctx, "okta_factors", fixture("okta-factors-by-login.json"), "ok.json");
      await confirmRun(ctx, { runId: good.id, digest: good.digest! });
      await expect(confirmRun(ctx, { runId: good.id, digest: good.digest! })).rejects.toThrow(Conflict);
    });
  });
});
