import { describe, expect, it } from "vitest";
import {
  blastBand,
  blastRadius,
  type CredentialFacts,
  classWeight,
  endpointWeight,
  findingsOf,
  idleScopes,
  reaches,
  scopeSetsText,
  volumeFactor,
} from "./rules";

const NOW = new Date("2026-11-02T09:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const policy = { staleAfterDays: 90, rotationMaxDays: 90 };
const lookup = {
  method: "GET",
  path: "/users/lookup",
  bulk: true,
  maxRecordsPerCall: 100,
  dataClasses: ["pii"] as const,
};
const base: CredentialFacts = {
  status: "active",
  kind: "api_key",
  scopes: ["users:read"],
  createdAt: daysAgo(30),
  lastUsedAt: daysAgo(1),
  lastRotatedAt: null,
  expiresAt: daysAgo(-30),
  ownerStatus: "active",
  holderHasOpenCase: false,
  reached: [],
  scopeUsage: [],
};
const ids = (c: Partial<CredentialFacts>) => findingsOf({ ...base, ...c }, policy, NOW).map((f) => f.id);

describe("blast radius", () => {
  it("weighs the most sensitive data class of an endpoint", () => {
    expect(classWeight([])).toBe(1);
    expect(classWeight(["internal"])).toBe(2);
    expect(classWeight(["financial", "pii"])).toBe(8);
    expect(classWeight(["pii", "credentials"])).toBe(10);
    expect(classWeight(["private_messages", "internal"])).toBe(8);
  });
  it("puts records per call into order-of-magnitude tiers; single-record endpoints count once", () => {
    expect(volumeFactor({ bulk: false, maxRecordsPerCall: 50_000 })).toBe(1);
    expect(volumeFactor({ bulk: true, maxRecordsPerCall: null })).toBe(3);
    expect(
      [1, 100, 101, 1_000, 1_001, 10_000, 100_000, 100_001, 5_000_000].map((n) =>
        volumeFactor({ bulk: true, maxRecordsPerCall: n }),
      ),
    ).toEqual([2, 2, 3, 3, 4, 4, 5, 6, 6]);
  });
  it("sums class × volume over every endpoint reached", () => {
    expect(endpointWeight(lookup as never)).toBe(16);
    const reached = [
      lookup,
      { bulk: false, maxRecordsPerCall: null, dataClasses: ["pii"] },
      { bulk: true, maxRecordsPerCall: 10_000, dataClasses: ["pii"] },
    ] as never[];
    expect(blastRadius(reached)).toBe(16 + 8 + 32);
    expect(blastRadius([])).toBe(0);
  });
  it("bands the score for the badge", () => {
    expect([0, 1, 9, 10, 29, 30, 79, 80, 500].map(blastBand)).toEqual([
      "none",
      "low",
      "low",
      "moderate",
      "moderate",
      "high",
      "high",
      "severe",
      "severe",
    ]);
  });
});

describe("findings", () => {
  it("finds nothing on a fresh, owned, used, expiring credential without bulk reach", () => {
    expect(ids({})).toEqual([]);
  });
  it("orphaned: owner missing, leaver or disabled", () => {
    expect(ids({ ownerStatus: null })).toEqual(["orphaned"]);
    expect(ids({ ownerStatus: "leaver" })).toEqual(["orphaned"]);
    const [f] = findingsOf({ ...base, ownerStatus: "disabled" }, policy, NOW);
    expect(f.explanation).toBe("Its owner is disabled: nobody answers for it.");
  });
  it("stale: unused for more than the stale period; never-used counts from creation", () => {
    expect(ids({ lastUsedAt: daysAgo(90) })).toEqual([]);
    expect(ids({ lastUsedAt: daysAgo(91) })).toEqual(["stale"]);
    expect(ids({ lastUsedAt: null, createdAt: daysAgo(30) })).toEqual([]);
    const f = findingsOf(
      { ...base, lastUsedAt: null, createdAt: daysAgo(120), lastRotatedAt: daysAgo(1) },
      policy,
      NOW,
    );
    expect(f.map((x) => [x.id, x.explanation])).toEqual([
      ["stale", "Never used in the 120 days since it was created."],
    ]);
    expect(findingsOf({ ...base, lastUsedAt: daysAgo(100) }, { ...policy, staleAfterDays: 120 }, NOW)).toEqual([]);
  });
  it("rotation overdue: never rotated or rotated too long ago; OAuth grants exempt", () => {
    expect(ids({ createdAt: daysAgo(200), lastUsedAt: daysAgo(1) })).toEqual(["rotation_overdue"]);
    expect(findingsOf({ ...base, createdAt: daysAgo(200) }, policy, NOW)[0].explanation).toBe(
      "Never rotated in 200 days (policy: 90).",
    );
    expect(ids({ createdAt: daysAgo(200), lastRotatedAt: daysAgo(10) })).toEqual([]);
    expect(
      findingsOf({ ...base, createdAt: daysAgo(400), lastRotatedAt: daysAgo(150) }, policy, NOW)[0].explanation,
    ).toBe("Last rotated 150 days ago (policy: 90).");
    expect(ids({ kind: "oauth_grant", createdAt: daysAgo(400) })).toEqual([]);
  });
  it("no expiry", () => {
    expect(ids({ expiresAt: null })).toEqual(["no_expiry"]);
  });
  it("over-scoped only with usage data: scopes unused for the stale period, never-used ones from creation", () => {
    const c = { ...base, scopes: ["a", "b", "c"], createdAt: daysAgo(60) };
    expect(ids(c)).toEqual([]); // no usage data: no claim either way
    expect(idleScopes({ ...c, scopeUsage: [{ scope: "a", lastUsedAt: daysAgo(1) }] }, policy, NOW)).toEqual([]); // b, c unused but only 60 days old
    const old = {
      ...c,
      createdAt: daysAgo(300),
      lastRotatedAt: daysAgo(5),
      scopeUsage: [
        { scope: "a", lastUsedAt: daysAgo(1) },
        { scope: "b", lastUsedAt: daysAgo(95) },
      ],
    };
    expect(idleScopes(old, policy, NOW)).toEqual([
      { scope: "b", idleDays: 95 },
      { scope: "c", idleDays: 300 },
    ]);
    expect(findingsOf(old, policy, NOW).map((f) => [f.id, f.explanation])).toEqual([
      ["over_scoped", "Holds b (unused 95 days), c (unused 300 days)."],
    ]);
  });
  it("bulk PII reach names the largest endpoint; bulk without PII or PII without bulk does not count", () => {
    const reached = [
      lookup,
      { method: "POST", path: "/users/export", bulk: true, maxRecordsPerCall: 10_000, dataClasses: ["pii"] },
    ] as CredentialFacts["reached"];
    const [f] = findingsOf({ ...base, reached }, policy, NOW);
    expect(f).toEqual({
      id: "bulk_pii",
      label: "Bulk PII reach",
      explanation: "Reaches 2 bulk PII endpoints, e.g. POST /users/export (up to 10,000 records per call).",
    });
    expect(ids({ reached: [{ ...lookup, dataClasses: ["internal"] }] as never })).toEqual([]);
    expect(ids({ reached: [{ ...lookup, bulk: false }] as never })).toEqual([]);
  });
  it("held by a leaver with an open case", () => {
    expect(ids({ holderHasOpenCase: true })).toEqual(["leaver_holder"]);
  });
  it("has no findings once revoked or expired", () => {
    expect(ids({ status: "revoked", ownerStatus: null, expiresAt: null })).toEqual([]);
    expect(ids({ status: "expired", ownerStatus: null })).toEqual([]);
  });
});

describe("reach through scope sets", () => {
  it("needs every scope of one set: scopes within a requirement are AND, requirements are OR", () => {
    const sets = [["tweet.read", "users.read"], ["partner_key"]];
    expect(reaches(["tweet.read"], sets)).toBe(false);
    expect(reaches(["tweet.read", "users.read"], sets)).toBe(true);
    expect(reaches(["partner_key"], sets)).toBe(true);
    expect(reaches(["users.read", "other"], sets)).toBe(false);
    expect(reaches(["anything"], [[]])).toBe(false);
    expect(scopeSetsText(sets)).toBe("tweet.read + users.read, or partner_key");
  });
});
