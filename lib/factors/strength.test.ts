import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { accounts, authenticators, entitlements, grants, identities, identityPosture } from "@/db/schema";
import { rollback, testDb } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { refreshPosture } from "./posture";
import {
  type Factor,
  factorStrength,
  isPhishingResistant,
  maxAal,
  type Posture,
  PRIMARY_STRENGTH,
  posture,
  RECOVERY_STRENGTH,
} from "./strength";

const DAY = 86_400_000;
const past = new Date(TEST_NOW.getTime() - DAY);
const future = new Date(TEST_NOW.getTime() + DAY);

const p = (type: Factor["type"], extra: Partial<Factor> = {}): Factor => ({
  type,
  usage: "primary",
  status: "active",
  userVerification: true,
  ...extra,
});
const r = (type: Factor["type"], extra: Partial<Factor> = {}): Factor => p(type, { usage: "recovery", ...extra });
const expected = (
  primaryStrength: number,
  recoveryStrength: number | null,
  effectiveStrength: number,
  phishingResistant = false,
) => ({ primaryStrength, recoveryStrength, effectiveStrength, phishingResistant }) as Posture;

/** The edge cases of the model: each is checked in TypeScript (posture) and in SQL (refreshPosture). */
const CASES: [string, Factor[], Posture][] = [
  ["no factors at all", [], expected(0, null, 0)],
  ["a password only", [p("password")], expected(0, null, 0)],
  [
    "only recovery methods: no way to sign in strongly, whatever the recovery",
    [r("recovery_codes"), r("security_key")],
    expected(0, 3, 0),
  ],
  [
    "several primaries: the best one counts",
    [p("password"), p("sms_otp"), p("security_key"), p("totp")],
    expected(5, null, 5, true),
  ],
  [
    "recovery weaker than primary: a security key with SMS recovery is a strength-2 person",
    [p("security_key"), r("sms_otp")],
    expected(5, 2, 2, true),
  ],
  ["recovery stronger than primary: the primary bounds it", [p("totp"), r("passkey_device_bound")], expected(3, 5, 3)],
  [
    "several recovery paths: the weakest one counts",
    [p("passkey_synced"), r("recovery_codes"), r("email_otp"), r("helpdesk_proofed")],
    expected(4, 1, 1, true),
  ],
  [
    "revoked and expired factors are ignored (status, or a past or present expiry)",
    [
      p("security_key", { status: "revoked" }),
      p("piv", { status: "expired" }),
      p("passkey_device_bound", { expiresAt: past }),
      p("passkey_synced", { expiresAt: TEST_NOW }),
      p("totp", { expiresAt: future }),
      r("sms_otp", { status: "revoked" }),
      r("email_otp", { expiresAt: past }),
      r("recovery_codes"),
    ],
    expected(3, 3, 3),
  ],
  [
    "everything revoked: back to nothing",
    [p("security_key", { status: "revoked" }), r("sms_otp", { status: "expired" })],
    expected(0, null, 0),
  ],
  [
    "a synced passkey without user verification is one level lower and not phishing-resistant",
    [p("passkey_synced", { userVerification: false })],
    expected(3, null, 3),
  ],
  [
    "a security key without user verification is one level lower",
    [p("security_key", { userVerification: false })],
    expected(4, null, 4),
  ],
  [
    "a device-bound passkey as recovery without user verification is one level lower",
    [p("piv"), r("passkey_device_bound", { userVerification: false })],
    expected(5, 4, 4, true),
  ],
  [
    "a PIV card is phishing-resistant whatever the user-verification flag (its PIN is part of the card)",
    [p("piv", { userVerification: false })],
    expected(5, null, 5, true),
  ],
  [
    "user verification does not change OTP factors",
    [p("totp", { userVerification: false }), r("sms_otp", { userVerification: false })],
    expected(3, 2, 2),
  ],
  [
    "one phishing-resistant primary with user verification makes the person phishing-resistant",
    [p("passkey_synced", { userVerification: false }), p("passkey_synced")],
    expected(4, null, 4, true),
  ],
  [
    "in-person re-proofing is a strength-5 recovery path but no way to sign in",
    [p("in_person_proofing"), r("in_person_proofing")],
    expected(0, 5, 0),
  ],
  [
    "an unverified helpdesk reset is a strength-0 recovery path",
    [p("security_key"), r("helpdesk_unverified")],
    expected(5, 0, 0, true),
  ],
  [
    "approve-only push is non-conformant; number matching is AAL2",
    [p("push_approve"), r("push_number_match")],
    expected(1, 3, 1),
  ],
];

describe("factor strength (pure)", () => {
  it.each(CASES)("%s", (_, factors, want) => {
    expect(posture(factors, TEST_NOW)).toEqual(want);
  });

  it("follows the docs/STANDARDS.md scale for primary and recovery use", () => {
    const primary: Record<number, Factor["type"][]> = {
      0: ["password", "security_questions"],
      1: ["email_otp", "push_approve"],
      2: ["sms_otp", "voice_otp"],
      3: ["totp", "hardware_otp", "push_number_match"],
      4: ["passkey_synced"],
      5: ["passkey_device_bound", "security_key", "piv"],
    };
    for (const [n, types] of Object.entries(primary))
      for (const t of types) expect(PRIMARY_STRENGTH[t], t).toBe(Number(n));
    const recovery: Record<number, Factor["type"][]> = {
      0: ["helpdesk_unverified", "security_questions"],
      1: ["email_otp"],
      2: ["sms_otp", "voice_otp"],
      3: ["recovery_codes", "helpdesk_proofed"],
      4: ["passkey_synced"],
      5: ["security_key", "in_person_proofing"],
    };
    for (const [n, types] of Object.entries(recovery))
      for (const t of types) expect(RECOVERY_STRENGTH[t], t).toBe(Number(n));
    expect(factorStrength({ type: "passkey_synced", usage: "primary", userVerification: false })).toBe(3);
    expect(factorStrength({ type: "password", usage: "primary", userVerification: false })).toBe(0);
    expect(isPhishingResistant({ type: "sms_otp", userVerification: true })).toBe(false);
    expect(isPhishingResistant({ type: "security_key" })).toBe(true);
    expect([0, 1, 2, 3, 4, 5].map((s) => maxAal(s as 0))).toEqual([1, 1, 2, 2, 2, 3]);
  });
});

describe("posture rollup in SQL (refreshPosture)", () => {
  // Open the seeded clone once up front, so the first case does not pay for it inside its own timeout.
  beforeAll(async () => {
    await testDb();
  });

  it.each(CASES)("agrees with posture() — %s", async (_, factors, want) => {
    await rollback(async (tx) => {
      const [person] = await tx
        .insert(identities)
        .values({ kind: "human", displayName: "Strength Case" })
        .returning({ id: identities.id });
      if (factors.length)
        await tx
          .insert(authenticators)
          .values(factors.map((f) => ({ identityId: person.id, ...f, userVerification: f.userVerification ?? true })));
      await refreshPosture(tx, { identityIds: [person.id] }, TEST_NOW);
      const [row] = await tx.select().from(identityPosture).where(eq(identityPosture.identityId, person.id));
      expect(pick(row)).toEqual(want);
    });
  });

  it("equals posture() computed in TypeScript for every seeded person (as seeded, and after a full refresh)", async () => {
    await rollback(async (tx) => {
      const seeded = await compareAll(tx);
      expect(seeded.mismatches).toEqual([]);
      await refreshPosture(tx, "all", TEST_NOW);
      const refreshed = await compareAll(tx);
      expect(refreshed.mismatches).toEqual([]);
      expect(refreshed.humans).toBeGreaterThan(100);
      // The seed is not all one shape: the comparison covered a spread of strengths.
      expect(refreshed.strengths.size).toBeGreaterThanOrEqual(4);
    });
  });
});

function pick(row: typeof identityPosture.$inferSelect | undefined): Posture | undefined {
  if (!row) return undefined;
  const { primaryStrength, recoveryStrength, effectiveStrength, phishingResistant } = row;
  return { primaryStrength, recoveryStrength, effectiveStrength, phishingResistant } as Posture;
}

async function compareAll(tx: Db) {
  const people = await tx
    .select({
      id: identities.id,
      kind: identities.kind,
      status: identities.status,
      departmentId: identities.departmentId,
    })
    .from(identities);
  const factorRows = await tx.select().from(authenticators);
  const rollup = new Map((await tx.select().from(identityPosture)).map((row) => [row.identityId, row]));
  // Privileged access, from the grants (not from the rollup's own SQL): an unrevoked privileged grant on an active account.
  const privilegedNow = new Set<number>();
  const grantRows = await tx
    .select({
      id: accounts.identityId,
      accountStatus: accounts.status,
      revokedAt: grants.revokedAt,
      privileged: entitlements.privileged,
    })
    .from(accounts)
    .innerJoin(grants, eq(grants.accountId, accounts.id))
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId));
  for (const g of grantRows)
    if (g.privileged && g.revokedAt === null && g.accountStatus === "active") privilegedNow.add(g.id);
  const byPerson = new Map<number, Factor[]>();
  for (const f of factorRows) byPerson.set(f.identityId, [...(byPerson.get(f.identityId) ?? []), f]);

  const mismatches: unknown[] = [];
  const strengths = new Set<number>();
  let humans = 0;
  for (const person of people) {
    const row = rollup.get(person.id);
    if (person.kind !== "human") {
      if (row) mismatches.push({ id: person.id, problem: "non-human identity has a posture row" });
      continue;
    }
    humans++;
    const want = posture(byPerson.get(person.id) ?? [], TEST_NOW);
    strengths.add(want.effectiveStrength);
    const got = pick(row);
    if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push({ id: person.id, want, got });
    if (row && (row.active !== (person.status === "active") || row.departmentId !== person.departmentId)) {
      mismatches.push({ id: person.id, problem: "active/department out of date" });
    }
    if (row && row.hasPrivileged !== privilegedNow.has(person.id)) {
      mismatches.push({
        id: person.id,
        problem: `hasPrivileged ${row.hasPrivileged}, grants say ${privilegedNow.has(person.id)}`,
      });
    }
  }
  return { mismatches, humans, strengths };
}
