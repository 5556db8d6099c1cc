import "server-only";
import { and, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { connectorCircuits, remediationTasks, systems } from "@/db/schema";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import { taskJob } from "./queue-job";

/**
 * A circuit breaker per connected system (hardening finding 11: a ten-minute outage turned a layoff's tasks red).
 * After FAILURES retryable failures in a row the circuit opens: tasks for the system wait instead of failing (the
 * failure that opened it, and every later one, is not charged to the task), and after a cool-off one task probes.
 * A probe that fails opens it again for twice as long (up to MAX_COOL_OFF_MS, 5 minutes by default); one that succeeds closes it and wakes every
 * task that was waiting. Writers run in the caller's transaction, whose audit event covers them.
 */
const FAILURES = () => Number(process.env.LOCKSTEP_CIRCUIT_FAILURES ?? 5);
const COOL_OFF_MS = () => Number(process.env.LOCKSTEP_CIRCUIT_COOL_OFF_MS ?? 30_000);
const MAX_COOL_OFF_MS = () => Number(process.env.LOCKSTEP_CIRCUIT_MAX_COOL_OFF_MS ?? 5 * 60_000);
/** How long the probe slot is held: a probe that never reports back (its worker died) frees it after this. */
const PROBE_WINDOW_MS = 60_000;

const coolOff = (opens: number) => Math.min(MAX_COOL_OFF_MS(), COOL_OFF_MS() * 2 ** Math.max(0, opens - 1));

/**
 * Before a task runs: null when it may go ahead (the circuit is closed, or this task takes the probe slot), else
 * the time it should wait until.
 */
export async function circuitWait(db: Db, systemId: number, now: Date): Promise<Date | null> {
  const [circuit] = await db
    .select({ openedAt: connectorCircuits.openedAt, probeAt: connectorCircuits.probeAt })
    .from(connectorCircuits)
    .where(eq(connectorCircuits.systemId, systemId));
  if (!circuit?.openedAt || !circuit.probeAt) return null;
  if (circuit.probeAt > now) return circuit.probeAt;
  // Due for a probe: only one task takes the slot (the row update is the arbiter between workers).
  const taken = await db
    .update(connectorCircuits)
    .set({ probeAt: new Date(now.getTime() + PROBE_WINDOW_MS), updatedAt: now })
    .where(and(eq(connectorCircuits.systemId, systemId), lte(connectorCircuits.probeAt, now)))
    .returning({ systemId: connectorCircuits.systemId });
  return taken.length > 0 ? null : new Date(now.getTime() + PROBE_WINDOW_MS);
}

export type CircuitAfterFailure = { open: boolean; opened: boolean; probeAt: Date | null; failures: number };

/** A retryable failure at the system: counts it, and opens (or re-opens after a failed probe) the circuit. */
export async function noteFailure(db: Db, systemId: number, error: string, now: Date): Promise<CircuitAfterFailure> {
  const [row] = await db
    .insert(connectorCircuits)
    .values({ systemId, failures: 1, lastError: error, updatedAt: now })
    .onConflictDoUpdate({
      target: connectorCircuits.systemId,
      set: { failures: sql`${connectorCircuits.failures} + 1`, lastError: error, updatedAt: now },
    })
    .returning({
      failures: connectorCircuits.failures,
      opens: connectorCircuits.opens,
      openedAt: connectorCircuits.openedAt,
    });
  const wasOpen = row.openedAt !== null;
  if (!wasOpen && row.failures < FAILURES())
    return { open: false, opened: false, probeAt: null, failures: row.failures };
  const opens = row.opens + 1;
  const probeAt = new Date(now.getTime() + coolOff(opens));
  await db
    .update(connectorCircuits)
    .set({ opens, openedAt: wasOpen ? row.openedAt : now, probeAt })
    .where(eq(connectorCircuits.systemId, systemId));
  return { open: true, opened: !wasOpen, probeAt, failures: row.failures };
}

/**
 * The system answered: resets the count, and when the circuit was open, closes it and wakes the tasks that waited
 * for it. Returns whether it was open (the caller records that it closed).
 */
export async function noteSuccess(db: Db, systemId: number, now: Date): Promise<boolean> {
  const [before] = await db
    .select({ failures: connectorCircuits.failures, opens: connectorCircuits.opens })
    .from(connectorCircuits)
    .where(eq(connectorCircuits.systemId, systemId));
  if (!before || (before.failures === 0 && before.opens === 0)) return false;
  await db
    .update(connectorCircuits)
    .set({ failures: 0, opens: 0, openedAt: null, probeAt: null, lastError: null, updatedAt: now })
    .where(eq(connectorCircuits.systemId, systemId));
  if (before.opens === 0) return false;
  const waiting = await db
    .update(remediationTasks)
    .set({ notBefore: now, updatedAt: now })
    .where(
      and(
        eq(remediationTasks.systemId, systemId),
        eq(remediationTasks.mode, "connector"),
        inArray(remediationTasks.state, ["running", "done", "failed"]),
        gt(remediationTasks.notBefore, now),
        isNull(remediationTasks.leaseUntil),
      ),
    )
    .returning({ id: remediationTasks.id });
  const [system] = await db
    .select({ maxConcurrency: systems.maxConcurrency })
    .from(systems)
    .where(eq(systems.id, systemId));
  const limit = system?.maxConcurrency ?? 1;
  await enqueueJobs(
    db,
    waiting.map((t) => taskJob({ id: t.id, system: { id: systemId, maxConcurrency: limit } }, now)),
  );
  return true;
}
