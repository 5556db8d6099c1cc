import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { authenticators, identities, identityPosture } from "@/db/schema";
import { authenticatorType, authenticatorUsage } from "@/db/schema/enums";
import { rollback, testDb } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { refreshPosture } from "./posture";
import { REFRESH_FUNCTION_SQL, strengthFunctionsSql, TRIGGERS_SQL } from "./posture-sql";
import { type Factor, factorStrength, isPhishingResistant, posture } from "./strength";

/**
 * One source of truth: the database's strength rules are generated from lib/factors/strength.ts. If a table
 * there changes, this fails until a new migration carries the regenerated SQL (scripts/generate-posture-sql.ts).
 */
const MIGRATIONS = path.join(process.cwd(), "db", "migrations");

/** The newest migration whose text defines `fn` (later migrations replace earlier definitions). */
function newestDefining(fn: string): { file: string; text: string } {
  const files = readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  const defining = files
    .map((file) => ({ file, text: readFileSync(path.join(MIGRATIONS, file), "utf8") }))
    .filter((m) => m.text.includes(`CREATE OR REPLACE FUNCTION ${fn}(`));
  if (!defining.length) throw new Error(`no migration defines ${fn}`);
  return defining[defining.length - 1];
}

describe("posture SQL generated from the TypeScript tables", () => {
  it.each([
    ["factor_strength", () => strengthFunctionsSql()],
    ["factor_phishing_resistant", () => strengthFunctionsSql()],
    ["refresh_identity_posture", () => REFRESH_FUNCTION_SQL],
    ["identity_posture_on_grants", () => TRIGGERS_SQL],
  ])("the newest migration defining %s is the generator's output", (fn, generated) => {
    const m = newestDefining(fn);
    expect(
      m.text.includes(generated()),
      `${m.file} differs from scripts/generate-posture-sql.ts: regenerate into a new migration`,
    ).toBe(true);
  });

  describe("in the database", () => {
    let db: Db;
    beforeAll(async () => {
      db = await testDb();
    });

    it("factor_strength and factor_phishing_resistant equal the TypeScript rules for every type × usage × user verification", async () => {
      const combos = authenticatorType.enumValues.flatMap((type) =>
        authenticatorUsage.enumValues.flatMap((usage) =>
          [true, false].map((userVerification) => ({ type, usage, userVerification })),
        ),
      );
      const rows = await rowsOf(
        db,
        sql`
        SELECT t::text AS type, u::text AS usage, uv, factor_strength(t, u, uv)::int AS strength, factor_phishing_resistant(t, uv) AS pr
          FROM unnest(enum_range(NULL::authenticator_type)) t, unnest(enum_range(NULL::authenticator_usage)) u, unnest(ARRAY[true, false]) uv`,
        { type: col.text, usage: col.text, uv: col.bool, strength: col.num, pr: col.bool },
      );
      expect(rows).toHaveLength(combos.length);
      const got = new Map(
        rows.map((r) => [`${r.type}/${r.usage}/${r.uv}`, { strength: Number(r.strength), pr: r.pr }]),
      );
      for (const c of combos) {
        const want = { strength: factorStrength(c), pr: isPhishingResistant(c) };
        expect(
          got.get(`${c.type}/${c.usage}/${c.userVerification}`),
          `${c.type} ${c.usage} uv=${c.userVerification}`,
        ).toEqual(want);
      }
    });

    it("refresh_identity_posture equals posture() for every combination, alone and beside a TOTP primary", async () => {
      await rollback(async (tx) => {
        const cases: { id: number; factors: Factor[] }[] = [];
        for (const type of authenticatorType.enumValues) {
          for (const usage of authenticatorUsage.enumValues) {
            for (const userVerification of [true, false]) {
              const one: Factor = { type, usage, status: "active", userVerification };
              for (const factors of [
                [one],
                [one, { type: "totp", usage: "primary", status: "active", userVerification: true } as Factor],
              ]) {
                const [p] = await tx
                  .insert(identities)
                  .values({ kind: "human", displayName: `Combo ${type} ${usage} ${userVerification}` })
                  .returning({ id: identities.id });
                await tx.insert(authenticators).values(
                  factors.map((f) => ({
                    identityId: p.id,
                    type: f.type,
                    usage: f.usage,
                    userVerification: f.userVerification ?? true,
                  })),
                );
                cases.push({ id: p.id, factors });
              }
            }
          }
        }
        await refreshPosture(tx, { identityIds: cases.map((c) => c.id) }, TEST_NOW);
        const rows = new Map((await tx.select().from(identityPosture)).map((r) => [r.identityId, r]));
        for (const c of cases) {
          const r = rows.get(c.id);
          const got = r && {
            primaryStrength: r.primaryStrength,
            recoveryStrength: r.recoveryStrength,
            effectiveStrength: r.effectiveStrength,
            phishingResistant: r.phishingResistant,
          };
          expect(got, JSON.stringify(c.factors)).toEqual(posture(c.factors, TEST_NOW));
        }
        expect(cases.length).toBe(authenticatorType.enumValues.length * 2 * 2 * 2);
      });
    });
  });
});
