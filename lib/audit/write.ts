import "server-only";
import { desc, sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { auditEvents } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import type { AuditedEventName } from "@/lib/events/catalog";
import { writeOutbox } from "@/lib/events/outbox";
import { type ChainedEvent, GENESIS_HASH, hashEvent, toJsonValue } from "./chain";

// Held until the transaction ends, so the next writer reads our committed hash: the chain cannot fork.
const AUDIT_CHAIN_LOCK = 7_305_002;

/**
 * A transaction, whichever copy of drizzle made it: under `next start` the database handle is opened by the
 * instrumentation bundle and used from the app bundle, so `instanceof PgTransaction` alone can be false for
 * a real transaction. Only transactions have `rollback()`.
 */
function inTransaction(db: unknown): boolean {
  return db instanceof PgTransaction || typeof (db as { rollback?: unknown })?.rollback === "function";
}

export type AuditInput = {
  /** A name from the event catalogue (lib/events/catalog.ts), e.g. `leaver.close`, `break_glass.approve`. */
  action: AuditedEventName;
  target: { type: string; id: string | number; label?: string | null };
  before?: unknown;
  after?: unknown;
  metadata?: Record<string, unknown>;
};

/**
 * Appends many events in one statement (bulk writers: an HR import opening 1,000 cases). Same chain, same
 * lock, same fail-closed rule as writeAudit; the hashes are computed in order before the insert. Events some
 * outbox consumer subscribes to (lib/events/routes.ts) are written to the outbox in the same transaction.
 */
export async function writeAuditMany(ctx: Ctx, inputs: readonly AuditInput[]): Promise<{ id: number; hash: string }[]> {
  if (inputs.length === 0) return [];
  if (!inTransaction(ctx.db)) {
    throw new Error(`writeAudit(${inputs[0].action}) must run inside a transaction (use transact()).`);
  }
  // The outbox rows first: the chain lock below is global and every transaction takes it last.
  await writeOutbox(
    ctx.db,
    inputs.map((input) => ({
      event: input.action,
      target: { type: input.target.type, id: String(input.target.id) },
      occurredAt: ctx.now,
      payload: {
        actor: { id: ctx.actor.id, name: ctx.actor.name, kind: ctx.actor.kind },
        target: { type: input.target.type, id: String(input.target.id), label: input.target.label ?? null },
        before: toJsonValue(input.before),
        after: toJsonValue(input.after),
        metadata: toJsonValue(input.metadata),
      },
    })),
  );
  await ctx.db.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await ctx.db
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.id))
    .limit(1);
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = inputs.map((input) => {
    const event: ChainedEvent = {
      occurredAt: ctx.now,
      actorId: ctx.actor.id,
      actorLabel: ctx.actor.name,
      action: input.action,
      targetType: input.target.type,
      targetId: String(input.target.id),
      targetLabel: input.target.label ?? null,
      before: toJsonValue(input.before),
      after: toJsonValue(input.after),
      metadata: toJsonValue(ctx.request || input.metadata ? { ...ctx.request, ...input.metadata } : undefined),
    };
    const hash = hashEvent(event, prevHash);
    const row = { ...event, prevHash, hash };
    prevHash = hash;
    return row;
  });
  // Identity order follows the array order within one INSERT, so the chain reads back in sequence.
  const written: { id: number; hash: string }[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    written.push(
      ...(await ctx.db
        .insert(auditEvents)
        .values(rows.slice(i, i + 500))
        .returning({ id: auditEvents.id, hash: auditEvents.hash })),
    );
  }
  return written;
}

/**
 * Appends one event to the hash chain inside the caller's transaction. It fails closed: outside a
 * transaction it throws, so a change can never commit without its audit event.
 */
export async function writeAudit(ctx: Ctx, input: AuditInput): Promise<{ id: number; hash: string }> {
  const [written] = await writeAuditMany(ctx, [input]);
  return written;
}
