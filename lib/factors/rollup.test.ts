import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { authenticatorStatus, authenticatorType, authenticatorUsage } from "@/db/schema/enums";
import { rollback, testDb } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { refreshDuePostures } from "./snapshot";
import { type Factor, posture } from "./strength";

/**
 * The rollup equals the live computation after a random sequence of ordinary writes: nobody calls a refresh,
 * the database triggers keep identity_posture current. The expected state is computed here in TypeScript
 * from the raw tables (posture() for strengths, grants for privileged access), never from the rollup's SQL.
 * A seeded PRNG makes every run the same sequence, on PGlite and on PostgreSQL.
 */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ms = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).getTime());

const ID = { id: col.int };

/** What identity_posture must say, from first principles, as of `now`. */
async function expectedRollup(db: Db, now: Date) {
  const people = await rowsOf(db, sql`SELECT id, status, department_id FROM identities WHERE kind = 'human'`, {
    id: col.num,
    status: col.text,
    department_id: col.numOrNull,
  });
  const factors = await rowsOf(
    db,
    sql`SELECT identity_id, type, usage, status, user_verification, expires_at FROM authenticators`,
    {
      identity_id: col.int,
      type: z.enum(authenticatorType.enumValues),
      usage: z.enum(authenticatorUsage.enumValues),
      status: z.enum(authenticatorStatus.enumValues),
      user_verification: col.bool,
      expires_at: col.textOrNull,
    },
  );
  const grants = await rowsOf(
    db,
    sql`
    SELECT ac.identity_id, ac.id AS account_id, ac.system_id, ac.status AS account_status, g.revoked_at, g.expires_at, e.privileged
      FROM grants g JOIN accounts ac ON ac.id = g.account_id JOIN entitlements e ON e.id = g.entitlement_id`,
    {
      identity_id: col.num,
      account_id: col.num,
      system_id: col.num,
      account_status: col.text,
      revoked_at: col.textOrNull,
      expires_at: col.textOrNull,
      privileged: col.bool,
    },
  );
  const byPerson = new Map<number, Factor[]>();
  const expiries = new Map<number, number[]>();
  for (const f of factors) {
    const factor: Factor = {
      type: f.type,
      usage: f.usage,
      status: f.status,
      userVerification: f.user_verification,
      expiresAt: f.expires_at ? new Date(f.expires_at) : null,
    };
    byPerson.set(f.identity_id, [...(byPerson.get(f.identity_id) ?? []), factor]);
    if (f.status === "active" && f.expires_at && ms(f.expires_at)! > now.getTime())
      expiries.set(f.identity_id, [...(expiries.get(f.identity_id) ?? []), ms(f.expires_at)!]);
  }
  const privilegedAccounts = new Map<number, Map<number, number>>(); // person → account → system
  for (const g of grants) {
    const live =
      g.privileged &&
      g.account_status === "active" &&
      g.revoked_at === null &&
      (g.expires_at === null || ms(g.expires_at)! > now.getTime());
    if (!live) continue;
    const accounts = privilegedAccounts.get(g.identity_id) ?? new Map<number, number>();
    accounts.set(g.account_id, g.system_id);
    privilegedAccounts.set(g.identity_id, accounts);
    if (g.expires_at) expiries.set(g.identity_id, [...(expiries.get(g.identity_id) ?? []), ms(g.expires_at)!]);
  }
  return new Map(
    people.map((p) => {
      const accounts = [...(privilegedAccounts.get(p.id) ?? new Map()).entries()].sort(
        ([a1, s1], [a2, s2]) => s1 - s2 || a1 - a2,
      );
      const next = expiries.get(p.id);
      return [
        Number(p.id),
        {
          ...posture(byPerson.get(p.id) ?? [], now),
          active: p.status === "active",
          departmentId: p.department_id,
          hasPrivileged: accounts.length > 0,
          privilegedSystemIds: accounts.map(([, system]) => system),
          nextChangeAt: next ? Math.min(...next) : null,
        },
      ];
    }),
  );
}

async function actualRollup(db: Db) {
  const rows = await rowsOf(db, sql`SELECT * FROM identity_posture`, {
    identity_id: col.int,
    primary_strength: col.int,
    recovery_strength: col.intOrNull,
    effective_strength: col.int,
    phishing_resistant: col.bool,
    active: col.bool,
    department_id: col.intOrNull,
    has_privileged: col.bool,
    privileged_system_ids: col.array(col.int),
    next_change_at: col.textOrNull,
  });
  return new Map(
    rows.map((r) => [
      r.identity_id,
      {
        primaryStrength: r.primary_strength,
        recoveryStrength: r.recovery_strength,
        effectiveStrength: r.effective_strength,
        phishingResistant: r.phishing_resistant,
        active: r.active,
        departmentId: r.department_id,
        hasPrivileged: r.has_privileged,
        privilegedSystemIds: r.privileged_system_ids,
        nextChangeAt: ms(r.next_change_at),
      },
    ]),
  );
}

/** Rollup rows that differ from the live computation as of `at` (the transaction's clock by default). */
async function mismatches(db: Db, at?: Date): Promise<unknown[]> {
  const [{ now }] = await rowsOf(db, sql`SELECT now() AS now`, { now: col.text });
  const [want, got] = [await expectedRollup(db, at ?? new Date(now)), await actualRollup(db)];
  const out: unknown[] = [];
  for (const [id, w] of want)
    if (JSON.stringify(got.get(id)) !== JSON.stringify(w)) out.push({ id, want: w, got: got.get(id) ?? "missing" });
  for (const id of got.keys()) if (!want.has(id)) out.push({ id, problem: "row for a non-human or deleted identity" });
  out.push(...(await counterMismatches(db, want)));
  return out;
}

/** The maintained counters must equal the expected rollup summed (active people only). */
async function counterMismatches(db: Db, want: Awaited<ReturnType<typeof expectedRollup>>): Promise<unknown[]> {
  const people = new Map<string, number>();
  const systems = new Map<string, number>();
  for (const r of want.values()) {
    if (!r.active) continue;
    const key = [
      r.departmentId ?? 0,
      r.primaryStrength,
      r.effectiveStrength,
      r.hasPrivileged,
      r.phishingResistant,
    ].join("/");
    people.set(key, (people.get(key) ?? 0) + 1);
    for (const s of r.privilegedSystemIds) {
      const k = [s, r.primaryStrength, r.effectiveStrength].join("/");
      systems.set(k, (systems.get(k) ?? 0) + 1);
    }
  }
  const gotPeople = new Map(
    (
      await rowsOf(db, sql`SELECT * FROM identity_posture_counts WHERE people <> 0`, {
        department_id: col.int,
        primary_strength: col.int,
        effective_strength: col.int,
        privileged: col.bool,
        phishing_resistant: col.bool,
        people: col.int,
      })
    ).map((r) => [
      [r.department_id, r.primary_strength, r.effective_strength, r.privileged, r.phishing_resistant].join("/"),
      Number(r.people),
    ]),
  );
  const gotSystems = new Map(
    (
      await rowsOf(db, sql`SELECT * FROM identity_posture_system_counts WHERE accounts <> 0`, {
        system_id: col.int,
        primary_strength: col.int,
        effective_strength: col.int,
        accounts: col.int,
      })
    ).map((r) => [[r.system_id, r.primary_strength, r.effective_strength].join("/"), Number(r.accounts)]),
  );
  const diff = (name: string, a: Map<string, number>, b: Map<string, number>) =>
    [...new Set([...a.keys(), ...b.keys()])]
      .filter((k) => a.get(k) !== b.get(k))
      .map((k) => ({ counter: name, key: k, want: a.get(k), got: b.get(k) }));
  return [
    ...diff("identity_posture_counts", people, gotPeople),
    ...diff("identity_posture_system_counts", systems, gotSystems),
  ];
}

/** One random write of the kinds every pillar makes; returns a label for the failure message. */
async function randomChange(db: Db, rnd: () => number): Promise<string> {
  const pickOne = async <S extends z.ZodRawShape>(query: ReturnType<typeof sql>, shape: S) => {
    const rows = await rowsOf(db, query, shape);
    return rows.length ? rows[Math.floor(rnd() * rows.length)] : undefined;
  };
  const person = await pickOne(sql`SELECT id FROM identities WHERE kind = 'human' ORDER BY id`, ID);
  const id = Number(person!.id);
  const types = authenticatorType.enumValues;
  const op = Math.floor(rnd() * 14);
  switch (op) {
    case 0:
    case 1: {
      const type = types[Math.floor(rnd() * types.length)];
      const usage = rnd() < 0.5 ? "primary" : "recovery";
      const uv = rnd() < 0.8;
      const expiry = rnd() < 0.25 ? sql`now() + ${`${Math.round(rnd() * 48) - 24} hours`}::interval` : sql`NULL`;
      await db.execute(sql`INSERT INTO authenticators (identity_id, type, usage, user_verification, expires_at)
                           VALUES (${id}, ${type}::authenticator_type, ${usage}::authenticator_usage, ${uv}, ${expiry})`);
      return `enrol ${type} ${usage} uv=${uv} for ${id}`;
    }
    case 2: {
      const f = await pickOne(sql`SELECT id FROM authenticators WHERE status = 'active' ORDER BY id`, ID);
      await db.execute(sql`UPDATE authenticators SET status = 'revoked' WHERE id = ${f!.id}`);
      return `revoke factor ${f!.id}`;
    }
    case 3: {
      const f = await pickOne(sql`SELECT id FROM authenticators WHERE status = 'active' ORDER BY id`, ID);
      const past = rnd() < 0.5;
      await db.execute(
        past
          ? sql`UPDATE authenticators SET expires_at = now() - interval '1 hour' WHERE id = ${f!.id}`
          : sql`UPDATE authenticators SET status = 'expired' WHERE id = ${f!.id}`,
      );
      return `expire factor ${f!.id} (${past ? "expiry in the past" : "status"})`;
    }
    case 4: {
      // Only a last-use timestamp: nothing may move (and the trigger must not break on it).
      await db.execute(sql`UPDATE authenticators SET last_used_at = now() WHERE identity_id = ${id}`);
      return `sign-in by ${id}`;
    }
    case 5: {
      const f = await pickOne(sql`SELECT id FROM authenticators ORDER BY id`, ID);
      await db.execute(sql`DELETE FROM authenticators WHERE id = ${f!.id}`);
      return `delete factor ${f!.id}`;
    }
    case 6:
    case 7: {
      const target = await pickOne(
        sql`
        SELECT ac.id AS account_id, e.id AS entitlement_id FROM accounts ac JOIN entitlements e ON e.system_id = ac.system_id AND e.privileged
         WHERE ac.identity_id = ${id}
           AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.account_id = ac.id AND g.entitlement_id = e.id AND g.revoked_at IS NULL)
         ORDER BY ac.id, e.id`,
        { account_id: col.int, entitlement_id: col.int },
      );
      if (!target) return `no privileged entitlement to grant ${id}`;
      const expiry = rnd() < 0.3 ? sql`now() + ${`${Math.round(rnd() * 48) - 24} hours`}::interval` : sql`NULL`;
      await db.execute(
        sql`INSERT INTO grants (account_id, entitlement_id, source, expires_at) VALUES (${target.account_id}, ${target.entitlement_id}, 'break_glass', ${expiry})`,
      );
      return `grant privileged entitlement ${target.entitlement_id} to account ${target.account_id}`;
    }
    case 8: {
      const g = await pickOne(
        sql`SELECT g.id FROM grants g JOIN entitlements e ON e.id = g.entitlement_id AND e.privileged WHERE g.revoked_at IS NULL ORDER BY g.id`,
        ID,
      );
      await db.execute(sql`UPDATE grants SET revoked_at = now() WHERE id = ${g!.id}`);
      return `revoke privileged grant ${g!.id}`;
    }
    case 9: {
      const a = await pickOne(sql`SELECT id, status FROM accounts ORDER BY id`, { id: col.int, status: col.text });
      const status = a!.status === "active" ? (rnd() < 0.5 ? "disabled" : "deleted") : "active";
      await db.execute(sql`UPDATE accounts SET status = ${status}::account_status WHERE id = ${a!.id}`);
      return `account ${a!.id} → ${status}`;
    }
    case 10: {
      const e = await pickOne(
        sql`SELECT DISTINCT e.id FROM entitlements e JOIN grants g ON g.entitlement_id = e.id AND g.revoked_at IS NULL ORDER BY e.id`,
        ID,
      );
      await db.execute(sql`UPDATE entitlements SET privileged = NOT privileged WHERE id = ${e!.id}`);
      return `toggle privileged on entitlement ${e!.id}`;
    }
    case 11: {
      const status = ["active", "leaver", "disabled"][Math.floor(rnd() * 3)];
      await db.execute(sql`UPDATE identities SET status = ${status}::identity_status WHERE id = ${id}`);
      return `person ${id} → ${status}`;
    }
    case 12: {
      const d = await pickOne(sql`SELECT id FROM departments ORDER BY id`, ID);
      await db.execute(sql`UPDATE identities SET department_id = ${d!.id} WHERE id = ${id}`);
      return `person ${id} moves to department ${d!.id}`;
    }
    default: {
      if (rnd() < 0.5) {
        const [p] = await rowsOf(
          db,
          sql`INSERT INTO identities (kind, display_name) VALUES ('human', 'Random Newcomer') RETURNING id`,
          { id: col.num },
        );
        await db.execute(
          sql`INSERT INTO authenticators (identity_id, type, usage) VALUES (${p.id}, 'totp', 'primary'), (${p.id}, 'sms_otp', 'recovery')`,
        );
        return `new person ${p.id}`;
      }
      const a = await pickOne(sql`SELECT ac.id FROM accounts ac WHERE ac.identity_id = ${id} ORDER BY ac.id`, ID);
      if (!a) return `no account to delete for ${id}`;
      await db.execute(sql`DELETE FROM accounts WHERE id = ${a.id}`);
      return `delete account ${a.id} (its grants cascade)`;
    }
  }
}

describe("identity_posture rollup kept by the database", () => {
  beforeAll(async () => {
    await testDb();
  });

  it("equals the live computation as seeded (at the seed's clock)", async () => {
    await rollback(async (tx) => {
      expect(await mismatches(tx, TEST_NOW)).toEqual([]);
    });
  });

  it.each([[20260402], [7]])(
    "equals the live computation throughout a random sequence of 150 writes (checked every 10; seed %i)",
    async (seed) => {
      const rnd = mulberry32(seed);
      await rollback(async (tx) => {
        // Time has passed since the seed: bring rows whose grants or factors expired up to date, as the
        // posture.expire job does, then every change below reaches the rollup through the triggers alone.
        await refreshDuePostures(tx, new Date((await rowsOf(tx, sql`SELECT now() AS now`, { now: col.text }))[0].now));
        const ops = new Set<string>();
        for (let step = 0; step < 150; step++) {
          const what = await randomChange(tx, rnd);
          ops.add(what.split(" ")[0]);
          if (step % 10 === 9 || step === 149) expect(await mismatches(tx), `after step ${step}: ${what}`).toEqual([]);
        }
        // The sequence exercised every kind of write.
        expect([...ops]).toEqual(
          expect.arrayContaining([
            "account",
            "delete",
            "enrol",
            "expire",
            "grant",
            "new",
            "person",
            "revoke",
            "sign-in",
            "toggle",
          ]),
        );
      });
    },
  );

  it('keeps review progress counters (final decisions: not "don\'t know") with items inserted, decided, moved and deleted', async () => {
    await rollback(async (tx) => {
      const count = () =>
        rowsOf(
          tx,
          sql`
        SELECT c.id AS campaign_id, count(i.id)::int AS items,
               count(*) FILTER (WHERE i.decision IS NOT NULL AND i.decision <> 'dont_know')::int AS decided
          FROM review_campaigns c LEFT JOIN review_items i ON i.campaign_id = c.id GROUP BY c.id ORDER BY c.id`,
          { campaign_id: col.num, items: col.num, decided: col.num },
        );
      const counters = () =>
        rowsOf(
          tx,
          sql`
        SELECT c.id AS campaign_id, coalesce(p.items, 0) AS items, coalesce(p.decided, 0) AS decided
          FROM review_campaigns c LEFT JOIN review_progress p ON p.campaign_id = c.id ORDER BY c.id`,
          { campaign_id: col.num, items: col.num, decided: col.num },
        );
      expect(await counters()).toEqual(await count());
      const [a, b] = await rowsOf(tx, sql`SELECT id FROM review_campaigns ORDER BY id LIMIT 2`, { id: col.num });
      await tx.execute(
        sql`UPDATE review_items SET decided_at = now(), decision = 'keep', decided_by_id = reviewer_id WHERE id IN (SELECT id FROM review_items WHERE campaign_id = ${a.id} AND decided_at IS NULL ORDER BY id LIMIT 3)`,
      );
      const before = (await counters()).find((c) => c.campaign_id === a.id)!.decided;
      // "Don't know" is not a decision that closes the item: the counter must not move.
      await tx.execute(
        sql`UPDATE review_items SET decided_at = now(), decision = 'dont_know', decided_by_id = reviewer_id WHERE id IN (SELECT id FROM review_items WHERE campaign_id = ${a.id} AND decided_at IS NULL ORDER BY id LIMIT 2)`,
      );
      expect((await counters()).find((c) => c.campaign_id === a.id)!.decided).toBe(before);
      expect(await counters()).toEqual(await count());
      await tx.execute(
        sql`UPDATE review_items SET campaign_id = ${b.id} WHERE id IN (SELECT id FROM review_items WHERE campaign_id = ${a.id} ORDER BY id LIMIT 2)`,
      );
      await tx.execute(
        sql`DELETE FROM review_items WHERE id IN (SELECT id FROM review_items WHERE campaign_id = ${b.id} ORDER BY id DESC LIMIT 2)`,
      );
      await tx.execute(
        sql`INSERT INTO review_items (campaign_id, grant_id, reviewer_id, subject_id) SELECT ${b.id}, g.grant_id, g.reviewer_id, g.subject_id FROM review_items g WHERE g.grant_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM review_items x WHERE x.campaign_id = ${b.id} AND x.grant_id = g.grant_id) LIMIT 1`,
      );
      expect(await counters()).toEqual(await count());
    });
  });

  it("refreshes rows whose factors expired with no write, via next_change_at", async () => {
    await rollback(async (tx) => {
      const [p] = await rowsOf(
        tx,
        sql`INSERT INTO identities (kind, display_name) VALUES ('human', 'Expiring Key') RETURNING id`,
        { id: col.num },
      );
      await tx.execute(sql`INSERT INTO authenticators (identity_id, type, usage, expires_at) VALUES
        (${p.id}, 'security_key', 'primary', now() + interval '1 hour'), (${p.id}, 'sms_otp', 'primary', NULL)`);
      const [before] = await rowsOf(
        tx,
        sql`SELECT effective_strength AS s, next_change_at AS next FROM identity_posture WHERE identity_id = ${p.id}`,
        { s: col.num, next: col.text },
      );
      expect(Number(before.s)).toBe(5);
      // Two hours later (as the job's clock would say), the key has expired: the row is due and refreshes.
      const [{ later }] = await rowsOf(tx, sql`SELECT now() + interval '2 hours' AS later`, { later: col.text });
      expect(await refreshDuePostures(tx, new Date(later))).toBeGreaterThanOrEqual(1);
      const [after] = await rowsOf(
        tx,
        sql`SELECT effective_strength AS s, next_change_at AS next FROM identity_posture WHERE identity_id = ${p.id}`,
        { s: col.num, next: col.textOrNull },
      );
      expect([Number(after.s), after.next]).toEqual([2, null]);
    });
  });
});
