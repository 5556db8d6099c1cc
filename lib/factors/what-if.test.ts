import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { Forbidden } from "@/lib/errors";
import { asAnalyst, asApprover, asExecutive } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { ancestorsOf, loadWorld, type World } from "@/lib/testing/posture-oracle";
import { loadDepartments } from "./heatmap";
import { listCellPeople } from "./people";
import { cellPeopleInput } from "./schemas";
import { channelLabel, type OutageFactor, outageImpact } from "./what-if";
import { outageByDepartment, outageChannels } from "./what-if-sql";

const f = (
  type: OutageFactor["type"],
  usage: OutageFactor["usage"],
  channel: string | null = null,
  extra: Partial<OutageFactor> = {},
): OutageFactor => ({
  type,
  usage,
  status: "active",
  userVerification: true,
  channel,
  ...extra,
});
const sms = (usage: OutageFactor["usage"]) => f(usage === "primary" ? "sms_otp" : "sms_otp", usage, "sms");

describe("outage rule (pure)", () => {
  const cases: [string, OutageFactor[], Partial<ReturnType<typeof outageImpact>>][] = [
    [
      "SMS is the only sign-in factor, recovery by email: locked out, pushed to a weaker path",
      [sms("primary"), f("email_otp", "recovery", "email")],
      { affected: true, lockedOut: true, weakerRecovery: true, stranded: false },
    ],
    [
      "SMS only, no recovery left: stranded",
      [sms("primary"), sms("recovery")],
      { affected: true, lockedOut: true, weakerRecovery: false, stranded: true },
    ],
    [
      "SMS with saved recovery codes: locked out but recovers at a stronger path",
      [sms("primary"), f("recovery_codes", "recovery")],
      { affected: true, lockedOut: true, weakerRecovery: false, stranded: false, recoveryLeft: 3 },
    ],
    [
      "a password beside SMS is no way through MFA",
      [f("password", "primary"), sms("primary")],
      { lockedOut: true, stranded: true },
    ],
    [
      "a security key beside SMS: affected, not locked out",
      [f("security_key", "primary"), sms("primary"), sms("recovery")],
      { affected: true, lockedOut: false, stranded: false },
    ],
    [
      "only the recovery path is on SMS: not affected",
      [f("totp", "primary"), sms("recovery")],
      { affected: false, lockedOut: false },
    ],
    [
      "an expired or revoked SMS factor does not count",
      [f("sms_otp", "primary", "sms", { status: "revoked" }), f("totp", "primary")],
      { affected: false },
    ],
    [
      "push over another provider survives a Duo outage",
      [f("push_number_match", "primary", "push:duo"), f("push_approve", "primary", "push:okta-verify")],
      { affected: true, lockedOut: false },
    ],
  ];
  it.each(cases)("%s", (_, factors, want) => {
    const channel = factors.find((x) => x.channel === "push:duo") ? "push:duo" : "sms";
    expect(outageImpact(factors, channel, TEST_NOW)).toMatchObject(want);
  });

  it("labels channels for people", () => {
    expect(["sms", "voice", "email", "push:okta-verify", "push:duo"].map(channelLabel)).toEqual([
      "SMS",
      "Voice call",
      "Email",
      "Push (Okta Verify)",
      "Push (Duo)",
    ]);
  });
});

describe("outage what-if in SQL", () => {
  let db: Db;
  let world: World;
  beforeAll(async () => {
    db = await testDb();
    world = await loadWorld(db, TEST_NOW);
  });

  it("offers the channels the data has", async () => {
    const channels = (await outageChannels(await asAnalyst(db))).map((c) => c.channel);
    expect(channels).toEqual(expect.arrayContaining(["sms", "email", "push:okta-verify"]));
  });

  it("equals the TypeScript rule applied to every active person, per department subtree, for every channel", async () => {
    const ctx = await asAnalyst(db);
    const departments = await loadDepartments(ctx);
    let lockedOut = 0;
    for (const { channel } of await outageChannels(ctx)) {
      const report = await outageByDepartment(ctx, channel, departments);
      const want = new Map<number | null, { all: number[]; privileged: number[] }>();
      for (const p of world.people) {
        const impact = outageImpact(p.factors, channel, TEST_NOW);
        if (!impact.affected) continue;
        const v = [1, +impact.lockedOut, +impact.weakerRecovery, +impact.stranded];
        for (const d of ancestorsOf(world, p.departmentId)) {
          const row = want.get(d) ?? { all: [0, 0, 0, 0], privileged: [0, 0, 0, 0] };
          row.all = row.all.map((n, i) => n + v[i]);
          if (p.privilegedSystems.length) row.privileged = row.privileged.map((n, i) => n + v[i]);
          want.set(d, row);
        }
      }
      const flat = (c: { affected: number; lockedOut: number; weakerRecovery: number; stranded: number }) => [
        c.affected,
        c.lockedOut,
        c.weakerRecovery,
        c.stranded,
      ];
      const got = new Map(
        report.rows.map((r) => [r.id, { all: flat(r.value.all), privileged: flat(r.value.privileged) }]),
      );
      expect(Object.fromEntries(got), channel).toEqual(Object.fromEntries(want));
      lockedOut += report.total.all.lockedOut;
    }
    expect(lockedOut).toBeGreaterThan(0);
  });

  it("drills into the locked-out people of a channel (analysts), and refuses approvers the figures", async () => {
    const locked = world.people.filter((p) => outageImpact(p.factors, "sms", TEST_NOW).lockedOut).map((p) => p.id);
    const page = await listCellPeople(
      await asAnalyst(db),
      cellPeopleInput.parse({ channel: "sms", outcome: "locked_out", limit: "500" }),
    );
    expect(page.items.map((p) => p.id).sort()).toEqual(locked.sort());
    await expect(outageChannels(await asApprover(db))).rejects.toThrow(Forbidden);
    await expect(outageChannels(await asExecutive(db))).resolves.toBeTruthy();
  });
});
