import { createHash } from "node:crypto";

/** The first event's prev_hash. */
export const GENESIS_HASH = "0".repeat(64);

/** The fields the hash covers: everything that describes the event, none of the storage details. */
export type ChainedEvent = {
  occurredAt: Date;
  actorId: number | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string;
  targetLabel: string | null;
  before: unknown;
  after: unknown;
  metadata: unknown;
};

/** JSON with keys sorted at every level, so jsonb's own key order on read-back cannot change the hash. */
function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "null";
  return JSON.stringify(value);
}

/** Makes a value exactly what jsonb will give back (dates to ISO strings, undefined dropped). */
export function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export function hashEvent(event: ChainedEvent, prevHash: string): string {
  const canonical = canonicalJson({
    v: 1,
    occurredAt: event.occurredAt.toISOString(),
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    targetLabel: event.targetLabel,
    before: event.before ?? null,
    after: event.after ?? null,
    metadata: event.metadata ?? null,
  });
  return createHash("sha256").update(canonical).update("\n").update(prevHash).digest("hex");
}
