/**
 * API-scope rules: blast radius and findings. Pure (no database, no Next) so they read as the policy they are.
 * The SQL rollup (migrations 0005, 0009, 0037: `api_endpoint_weight`, `refresh_credential_risk`) applies the same weights;
 * lib/api-scopes/rollup.test.ts proves both give the same answer for every seeded credential. Change one,
 * change the other in a migration.
 */
export type DataClass = "pii" | "credentials" | "financial" | "health" | "internal" | "private_messages";
export type CredentialKind =
  | "api_key"
  | "personal_access_token"
  | "oauth_client"
  | "oauth_grant"
  | "service_account_key"
  | "ssh_key";

export const CREDENTIAL_KIND_LABELS: Record<CredentialKind, string> = {
  api_key: "API key",
  personal_access_token: "Personal access token",
  oauth_client: "OAuth client",
  oauth_grant: "OAuth grant",
  service_account_key: "Service-account key",
  ssh_key: "SSH key",
};

/** How bad it is when records of this class leak. Secrets lead to more access, so they weigh most. */
export const DATA_CLASS_WEIGHT: Record<DataClass, number> = {
  credentials: 10,
  pii: 8,
  health: 8,
  /** Direct messages between people: as sensitive as the personal data they are about. */
  private_messages: 8,
  financial: 6,
  internal: 2,
};
/** An endpoint with no recorded data class still does something. */
export const UNCLASSIFIED_WEIGHT = 1;

/** Volume tiers by records per call: an order of magnitude more records per call adds one. */
export const VOLUME_TIERS: readonly { upTo: number; factor: number }[] = [
  { upTo: 100, factor: 2 },
  { upTo: 1_000, factor: 3 },
  { upTo: 10_000, factor: 4 },
  { upTo: 100_000, factor: 5 },
];
export const VOLUME_ABOVE_TIERS = 6;
/** Bulk without a stated maximum: assume the common page size ceiling (1,000). */
export const VOLUME_BULK_UNKNOWN = 3;
export const VOLUME_SINGLE_RECORD = 1;

export type EndpointFacts = { bulk: boolean; maxRecordsPerCall: number | null; dataClasses: readonly DataClass[] };

export function classWeight(classes: readonly DataClass[]): number {
  return classes.length ? Math.max(...classes.map((c) => DATA_CLASS_WEIGHT[c])) : UNCLASSIFIED_WEIGHT;
}

export function volumeFactor(e: Pick<EndpointFacts, "bulk" | "maxRecordsPerCall">): number {
  if (!e.bulk) return VOLUME_SINGLE_RECORD;
  if (e.maxRecordsPerCall === null) return VOLUME_BULK_UNKNOWN;
  return VOLUME_TIERS.find((t) => e.maxRecordsPerCall! <= t.upTo)?.factor ?? VOLUME_ABOVE_TIERS;
}

/** One endpoint's weight: its most sensitive data class × its volume tier. */
export function endpointWeight(e: EndpointFacts): number {
  return classWeight(e.dataClasses) * volumeFactor(e);
}

/**
 * Does a credential holding `held` reach an endpoint with these scope sets? OpenAPI: the scopes of one security
 * requirement object are all required, separate objects are alternatives — so it must hold every scope of at
 * least one set. (The SQL twin is `api_endpoint_reached`, migration 0037.)
 */
export function reaches(held: readonly string[], scopeSets: readonly (readonly string[])[]): boolean {
  return scopeSets.some((set) => set.length > 0 && set.every((s) => held.includes(s)));
}

/** Scope sets in words: `[[a, b], [c]]` → "a + b, or c" (+ = all required, "or" = alternatives). */
export function scopeSetsText(scopeSets: readonly (readonly string[])[]): string {
  return scopeSets.map((set) => set.join(" + ")).join(", or ");
}

/** A credential's blast radius: the sum of the weights of every endpoint its scopes reach on its issuer. */
export function blastRadius(reached: readonly EndpointFacts[]): number {
  return reached.reduce((sum, e) => sum + endpointWeight(e), 0);
}

export type BlastBand = "none" | "low" | "moderate" | "high" | "severe";
/** Bands for the badge: one bulk-PII endpoint of 10k records/call (8 × 4 = 32) is already "high". */
export function blastBand(score: number): BlastBand {
  if (score <= 0) return "none";
  if (score < 10) return "low";
  if (score < 30) return "moderate";
  if (score < 80) return "high";
  return "severe";
}

// ─── Findings ─────────────────────────────────────────────────────────────────────────────────────────
export const FINDING_IDS = [
  "orphaned",
  "leaver_holder",
  "bulk_pii",
  "stale",
  "over_scoped",
  "rotation_overdue",
  "no_expiry",
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

export const FINDING_LABELS: Record<FindingId, string> = {
  orphaned: "Orphaned",
  leaver_holder: "Held by a leaver",
  bulk_pii: "Bulk PII reach",
  stale: "Stale",
  over_scoped: "Over-scoped",
  rotation_overdue: "Rotation overdue",
  no_expiry: "No expiry",
};

/** What each rule checks, in one sentence (the inventory's legend and the CSV header notes). */
export const FINDING_RULES: Record<FindingId, string> = {
  orphaned: "Nobody answers for it: no owner recorded, or the owner is no longer active.",
  leaver_holder: "The identity presenting it has an open leaver case.",
  bulk_pii: "Its scopes reach an endpoint that returns personal data in bulk.",
  stale: "Not used for the stale period (setting stale_after_days).",
  over_scoped: "Holds scopes it has not used for the stale period (only where the issuer reports per-scope use).",
  rotation_overdue:
    "Not rotated within the rotation period (setting rotation_max_days); OAuth grants are refreshed by their issuer and exempt.",
  no_expiry: "It never expires.",
};

export type Policy = { staleAfterDays: number; rotationMaxDays: number };
export const DEFAULT_POLICY: Policy = { staleAfterDays: 90, rotationMaxDays: 90 };

export type CredentialFacts = {
  status: "active" | "revoked" | "expired";
  kind: CredentialKind;
  scopes: readonly string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  lastRotatedAt: Date | null;
  expiresAt: Date | null;
  /** null when no owner is recorded. */
  ownerStatus: "active" | "leaver" | "disabled" | null;
  holderHasOpenCase: boolean;
  reached: readonly (EndpointFacts & { method: string; path: string })[];
  /** Per-scope last use as the issuer reports it; empty when it reports none. */
  scopeUsage: readonly { scope: string; lastUsedAt: Date }[];
};

export type Finding = { id: FindingId; label: string; explanation: string };

const DAY = 86_400_000;
const daysBetween = (a: Date, b: Date) => Math.floor((b.getTime() - a.getTime()) / DAY);
const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/** Scopes held but unused for the stale period (never-used scopes count from creation). */
export function idleScopes(c: CredentialFacts, policy: Policy, now: Date): { scope: string; idleDays: number }[] {
  if (c.scopeUsage.length === 0) return [];
  const last = new Map(c.scopeUsage.map((u) => [u.scope, u.lastUsedAt]));
  return c.scopes
    .map((scope) => ({ scope, idleDays: daysBetween(last.get(scope) ?? c.createdAt, now) }))
    .filter((s) => now.getTime() - (last.get(s.scope) ?? c.createdAt).getTime() > policy.staleAfterDays * DAY);
}

/** Every finding of one credential, each with its plain explanation. Revoked and expired credentials have none. */
export function findingsOf(c: CredentialFacts, policy: Policy, now: Date): Finding[] {
  if (c.status !== "active") return [];
  const out: Finding[] = [];
  const add = (id: FindingId, explanation: string) => out.push({ id, label: FINDING_LABELS[id], explanation });
  if (c.ownerStatus !== "active") {
    add(
      "orphaned",
      c.ownerStatus === null
        ? "No accountable owner is recorded."
        : `Its owner is ${c.ownerStatus === "leaver" ? "a leaver" : "disabled"}: nobody answers for it.`,
    );
  }
  if (c.holderHasOpenCase)
    add("leaver_holder", "Its holder has an open leaver case: it should be revoked or handed over.");
  const bulkPii = c.reached.filter((e) => e.bulk && e.dataClasses.includes("pii"));
  if (bulkPii.length) {
    const top = [...bulkPii].sort((a, b) => (b.maxRecordsPerCall ?? 0) - (a.maxRecordsPerCall ?? 0))[0];
    const per = top.maxRecordsPerCall
      ? `up to ${top.maxRecordsPerCall.toLocaleString("en-US")} records per call`
      : "many records per call";
    add("bulk_pii", `Reaches ${plural(bulkPii.length, "bulk PII endpoint")}, e.g. ${top.method} ${top.path} (${per}).`);
  }
  const activity = c.lastUsedAt ?? c.createdAt;
  if (now.getTime() - activity.getTime() > policy.staleAfterDays * DAY) {
    add(
      "stale",
      c.lastUsedAt
        ? `Last used ${plural(daysBetween(c.lastUsedAt, now), "day")} ago.`
        : `Never used in the ${plural(daysBetween(c.createdAt, now), "day")} since it was created.`,
    );
  }
  const idle = idleScopes(c, policy, now);
  if (idle.length)
    add("over_scoped", `Holds ${idle.map((s) => `${s.scope} (unused ${plural(s.idleDays, "day")})`).join(", ")}.`);
  if (c.kind !== "oauth_grant") {
    const anchor = c.lastRotatedAt ?? c.createdAt;
    if (now.getTime() - anchor.getTime() > policy.rotationMaxDays * DAY) {
      add(
        "rotation_overdue",
        c.lastRotatedAt
          ? `Last rotated ${plural(daysBetween(c.lastRotatedAt, now), "day")} ago (policy: ${policy.rotationMaxDays}).`
          : `Never rotated in ${plural(daysBetween(c.createdAt, now), "day")} (policy: ${policy.rotationMaxDays}).`,
      );
    }
  }
  if (!c.expiresAt) add("no_expiry", "It never expires: set an expiry so it cannot outlive its purpose.");
  return out;
}
