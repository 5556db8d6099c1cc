import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { bodyOf } from "@/lib/testing/imports";
import { seededRandom } from "@/lib/testing/random";
import { rowsOf } from "@/lib/testing/sql";
import { getRun, ingest, startRun } from "./index";
import "./kinds";
import { kindNames } from "./registry";

/**
 * Damaged and hostile files thrown at every registered import kind through the real pipeline (upload, parse,
 * validate, preview): whatever arrives, the upload ends with a preview or a file error a person can read, or a
 * 400-class refusal — never an internal error — and nothing but the run's own rows is written. Seeded, so a
 * failure names the case that replays it (`IMPORT_FUZZ_SEED=<n>` tries another seed).
 */
const SEED = Number(process.env.IMPORT_FUZZ_SEED) || 20_261_129;
const CASES_PER_KIND = 24;

const BASES = [
  // HR files, account exports, credential lists: CSV with the headers the kinds and their presets know.
  "employee_number,email,reason,effective_at,last_day\nE00000001,a@b.example,layoff,2026-11-02T17:00:00Z,2026-11-02\n",
  "login,email,employee_number,status,entitlement,privileged\nalice,alice@x.example,E1,active,Admins;Users,yes\n",
  "id,holder,owner,kind,scopes,created,last_used,expires\nk-1,svc@x.example,a@x.example,token,read write,2026-01-01,,\n",
  // Factor exports: Entra's registration details (JSON) and Okta's factors.
  '{"value":[{"userPrincipalName":"a@b.example","methodsRegistered":["microsoftAuthenticatorPush","sms"],"isAdmin":false}]}',
  '[{"login":"a@b.example","factors":[{"factorType":"push","provider":"OKTA","status":"ACTIVE"}]}]',
  // An OpenAPI document.
  "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      security: [{oauth: [read]}]\n      responses: {'200': {description: ok}}\n",
];

const NASTY = [
  "\u0000",
  "\uFEFF",
  '"',
  '""',
  ",,,,",
  "\r",
  "\r\n",
  "\t",
  "=cmd|'/c calc'!A1",
  "2026-02-30",
  "9999999999999999999999",
  "-1",
  "true",
  "null",
  "[",
  "{",
  "}",
  "&a [*a]",
  "*undefined_alias",
  "\\",
  "é€𝄞",
  "\uD800",
  "%00",
  "../../etc/passwd",
  "x".repeat(5000),
];

function mutate(base: string, next: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  let s = base;
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (s.length + 1));
    switch (Math.floor(next() * 6)) {
      case 0: // insert something nasty
        s = s.slice(0, at) + pick(NASTY) + s.slice(at);
        break;
      case 1: // cut the file short
        s = s.slice(0, at);
        break;
      case 2: // drop a span
        s = s.slice(0, at) + s.slice(at + Math.floor(next() * 20));
        break;
      case 3: // duplicate the rows many times
        s += s.slice(s.indexOf("\n") + 1).repeat(1 + Math.floor(next() * 50));
        break;
      case 4: // a random character
        s = s.slice(0, at) + String.fromCharCode(Math.floor(next() * 0x2fff)) + s.slice(at);
        break;
      default: // another format's file altogether
        s = pick(BASES);
    }
  }
  return s;
}

describe("import parsers under fuzz (every registered kind)", () => {
  it("answers every damaged file with a preview, a readable file error or a 400-class refusal, writing only its run", async () => {
    const next = seededRandom(SEED);
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const [system] = await rowsOf(db, sql`SELECT id FROM systems ORDER BY id LIMIT 1`, { id: col.int });
      const counts = () =>
        rowsOf(
          db,
          sql`SELECT (SELECT count(*) FROM audit_events)::int AS audit, (SELECT count(*) FROM identities)::int AS identities,
                     (SELECT count(*) FROM accounts)::int AS accounts, (SELECT count(*) FROM credentials)::int AS credentials,
                     (SELECT count(*) FROM authenticators)::int AS authenticators, (SELECT count(*) FROM leaver_cases)::int AS cases,
                     (SELECT count(*) FROM api_endpoints)::int AS endpoints`,
          {
            audit: col.int,
            identities: col.int,
            accounts: col.int,
            credentials: col.int,
            authenticators: col.int,
            cases: col.int,
            endpoints: col.int,
          },
        );
      const kinds = kindNames();
      expect(kinds.length).toBeGreaterThanOrEqual(6);
      for (const kind of kinds) {
        for (let i = 0; i < CASES_PER_KIND; i++) {
          const text = mutate(BASES[Math.floor(next() * BASES.length)], next);
          const replay = `kind ${kind}, case ${i} (IMPORT_FUZZ_SEED=${SEED}): ${JSON.stringify(text.slice(0, 200))}`;
          // Kinds that read a system's file need one; the others refuse parameters they do not know.
          const needsSystem = kind === "openapi" || kind === "accounts_csv";
          const params = needsSystem ? { systemId: system.id } : undefined;
          const before = await counts();
          let outcome: string;
          try {
            const run = await startRun(admin, { kind, source: "ui", fileName: `fuzz-${i}`, params });
            const view = await ingest(admin, { runId: run.id, body: bodyOf(text, 1 + Math.floor(next() * 64)) });
            const stored = await getRun(admin, { runId: view.id });
            expect(["previewed", "failed"], replay).toContain(stored.status);
            if (stored.status === "failed") expect(stored.error ?? stored.fileErrors[0]?.message, replay).toBeTruthy();
            for (const e of stored.fileErrors)
              expect(e.message, replay).not.toMatch(/TypeError|RangeError|undefined|at \//);
            outcome = stored.status;
          } catch (err) {
            // A refusal the edge turns into a 400-class answer carries a code; anything else would be a 500.
            expect(String((err as { code?: string }).code), `${replay}: ${(err as Error).stack}`).toMatch(
              /^(invalid|conflict|not_found|rate_limited)$/,
            );
            outcome = "refused";
          }
          const after = await counts();
          // Starting and reading a run writes its audit event(s); nothing else may change.
          expect({ ...after, audit: 0 }, `${replay} (${outcome})`).toEqual({ ...before, audit: 0 });
        }
      }
    });
  }, 600_000);
});
