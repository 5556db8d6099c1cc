import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { needsSecondConfirmation, retryDelayMs } from "@/lib/remediation/model";
import { testDb } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";
import {
  compareTasks,
  DEFAULT_SLA,
  queueRank,
  type RiskInput,
  riskExplained,
  riskLevel,
  riskScore,
  slaDueAt,
  slaState,
  startOfDayIn,
  taskPriority,
} from "./rules";

const H = 3_600_000;
const eff = new Date("2026-03-07T14:20:00Z");

describe("SLA due time", () => {
  it("counts involuntary (1 h) and layoff (4 h) from the effective time", () => {
    expect(
      slaDueAt({ policy: DEFAULT_SLA.involuntary, effectiveAt: eff, lastDay: null, timeZone: "UTC" }).toISOString(),
    ).toBe("2026-03-07T15:20:00.000Z");
    expect(
      slaDueAt({
        policy: DEFAULT_SLA.layoff,
        effectiveAt: eff,
        lastDay: "2026-03-01",
        timeZone: "Europe/Paris",
      }).toISOString(),
    ).toBe("2026-03-07T18:20:00.000Z");
  });
  it("ends voluntary and contract-end leavers at the end of the last day in the org's zone", () => {
    expect(
      slaDueAt({
        policy: DEFAULT_SLA.voluntary,
        effectiveAt: eff,
        lastDay: "2026-03-07",
        timeZone: "UTC",
      }).toISOString(),
    ).toBe("2026-03-08T00:00:00.000Z");
    // New York is UTC-5 in winter: midnight local = 05:00 UTC.
    expect(
      slaDueAt({
        policy: DEFAULT_SLA.contract_end,
        effectiveAt: eff,
        lastDay: "2026-03-07",
        timeZone: "America/New_York",
      }).toISOString(),
    ).toBe("2026-03-08T05:00:00.000Z");
    // Without a last day, the day of the effective time in that zone (14:20 UTC is still 7 March in Los Angeles).
    expect(
      slaDueAt({
        policy: DEFAULT_SLA.voluntary,
        effectiveAt: eff,
        lastDay: null,
        timeZone: "America/Los_Angeles",
      }).toISOString(),
    ).toBe("2026-03-08T08:00:00.000Z");
    // Tokyo: 14:20 UTC is 23:20 there, so the day ends 40 minutes later.
    expect(
      slaDueAt({
        policy: DEFAULT_SLA.voluntary,
        effectiveAt: eff,
        lastDay: null,
        timeZone: "Asia/Tokyo",
      }).toISOString(),
    ).toBe("2026-03-07T15:00:00.000Z");
  });
  it("handles daylight-saving edges (the US springs forward on 8 March 2026) and policy minutes", () => {
    // Midnight starting 9 March in New York is after the switch: UTC-4.
    expect(
      slaDueAt({
        policy: DEFAULT_SLA.voluntary,
        effectiveAt: eff,
        lastDay: "2026-03-08",
        timeZone: "America/New_York",
      }).toISOString(),
    ).toBe("2026-03-09T04:00:00.000Z");
    expect(startOfDayIn("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    const policy = { reason: "voluntary" as const, anchor: "end_of_last_day" as const, minutes: 90 };
    expect(slaDueAt({ policy, effectiveAt: eff, lastDay: "2026-03-07", timeZone: "UTC" }).toISOString()).toBe(
      "2026-03-08T01:30:00.000Z",
    );
  });
  it("says breached, due soon, on time, or met", () => {
    const now = new Date("2026-03-07T12:00:00Z");
    expect(slaState(new Date(now.getTime() - 1), now, false)).toBe("breached");
    expect(slaState(new Date(now.getTime() + 30 * 60_000), now, false)).toBe("due_soon");
    expect(slaState(new Date(now.getTime() + 2 * H), now, false)).toBe("on_time");
    expect(slaState(new Date(now.getTime() - H), now, true)).toBe("met");
  });
});

const base: RiskInput = {
  status: "open",
  slaDueAt: new Date("2026-03-07T12:00:00Z"),
  privilegedOutstanding: 0,
  bulkOutstanding: 0,
  outstanding: 5,
};
const c = (over: Partial<RiskInput>): RiskInput => ({ ...base, ...over });

describe("risk and queue order", () => {
  it("puts privileged and bulk-data items ahead of the SLA alone, and reopened cases on top", () => {
    const now = new Date("2026-03-07T10:00:00Z");
    const plain = c({});
    const priv = c({ privilegedOutstanding: 2 });
    const bulk = c({ bulkOutstanding: 1 });
    const breached = c({ slaDueAt: new Date("2026-03-07T08:00:00Z") });
    const reopened = c({ status: "reopened", slaDueAt: new Date("2026-02-01T00:00:00Z") });
    const done = c({ outstanding: 0, slaDueAt: new Date("2026-03-01T00:00:00Z") });
    const order = [plain, priv, bulk, breached, reopened, done].sort((a, b) => queueRank(a) - queueRank(b));
    expect(order).toEqual([reopened, priv, breached, bulk, plain, done]);
    // Scores agree with the order at any time.
    for (const t of [now, new Date("2026-03-07T13:00:00Z"), new Date("2026-03-09T00:00:00Z")]) {
      const scores = order.map((x) => riskScore(x, t));
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
    expect(riskScore(reopened, now)).toBe(100);
    expect(riskScore(c({ status: "closed" }), now)).toBe(0);
  });
  it("grows with time past the SLA and caps the weight of many items", () => {
    const at = (h: number) => new Date(base.slaDueAt.getTime() + h * H);
    expect(riskScore(base, at(0))).toBe(50);
    expect(riskScore(base, at(2))).toBe(54);
    expect(riskScore(base, at(-2))).toBe(46);
    // Breached cases stay apart: an hour, a day, three days and a week late read differently (no "99" wall).
    const late = [1, 24, 72, 168].map((h) => riskScore(base, at(h)));
    expect(late).toEqual([...new Set(late)].sort((a, b) => a - b));
    expect(late[late.length - 1]).toBeLessThan(99);
    expect(riskLevel(riskScore(base, at(24)))).toBe("critical");
    expect(riskScore(base, at(24 * 30))).toBe(97);
    expect(riskScore(base, at(-24 * 30))).toBe(3);
    expect(queueRank(c({ privilegedOutstanding: 10 }))).toBe(queueRank(c({ privilegedOutstanding: 3 })));
    expect(riskLevel(80)).toBe("critical");
    expect(riskLevel(10)).toBe("low");
  });
  it("says what a score is made of", () => {
    const now = new Date(base.slaDueAt.getTime() + 26 * H);
    expect(riskExplained(c({ privilegedOutstanding: 2, bulkOutstanding: 4 }), now)).toBe(
      "SLA passed 26 h ago; 2 privileged items still live (each counts as due 4 h earlier); 4 bulk-data credentials still live (each counts as due 3 h earlier, 3 at most); 5 tasks outstanding.",
    );
    expect(riskExplained(c({}), new Date(base.slaDueAt.getTime() - 30 * 60_000))).toBe(
      "SLA due in 30 min; 5 tasks outstanding.",
    );
    expect(riskExplained(c({ status: "reopened" }), now)).toMatch(/^Reopened/);
  });
  it("computes the same queue key in SQL as in TypeScript", async () => {
    const db = await testDb();
    const cases = [
      c({}),
      c({ privilegedOutstanding: 2, bulkOutstanding: 5 }),
      c({ status: "reopened" }),
      c({ outstanding: 0 }),
      c({ status: "closed" }),
    ];
    for (const x of cases) {
      const [row] = await rowsOf(
        db,
        sql`SELECT leaver_queue_rank(${x.status}::leaver_case_status, ${x.slaDueAt.toISOString()}::timestamptz,
                                     ${x.outstanding}::int, ${x.privilegedOutstanding}::int, ${x.bulkOutstanding}::int) AS rank`,
        { rank: col.num },
      );
      expect(Number(row.rank)).toBeCloseTo(queueRank(x), 3);
    }
  });
});

describe("task order, confirmations, retries", () => {
  it("runs privileged grants and bulk-reaching credentials first", () => {
    const t = (id: number, kind: Parameters<typeof taskPriority>[0]["kind"], privileged = false, bulkData = false) => ({
      id,
      kind,
      privileged,
      bulkData,
      priority: taskPriority({ kind, privileged, bulkData }),
    });
    const tasks = [
      t(1, "transfer_ownership"),
      t(2, "end_sessions"),
      t(3, "revoke_credential"),
      t(4, "disable_account"),
      t(5, "revoke_credential", false, true),
      t(6, "remove_grant", true),
      t(7, "disable_account", true),
    ];
    expect([...tasks].sort(compareTasks).map((x) => x.id)).toEqual([6, 5, 7, 4, 2, 3, 1]);
  });
  it("asks for a second analyst on privileged items and high/critical systems only", () => {
    expect(needsSecondConfirmation({ privileged: true, systemCriticality: "low" })).toBe(true);
    expect(needsSecondConfirmation({ privileged: false, systemCriticality: "high" })).toBe(true);
    expect(needsSecondConfirmation({ privileged: false, systemCriticality: "medium" })).toBe(false);
  });
  it("backs off exponentially with a cap", () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a))).toEqual([5_000, 15_000, 45_000, 135_000]);
    expect(retryDelayMs(20)).toBe(30 * 60_000);
  });
});
