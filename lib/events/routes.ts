import type { EventName } from "./catalog";

/**
 * Which outbox consumers receive which events. Data only, read by the audit writer in the change's transaction;
 * the delivery code of each consumer is registered with the job runner (lib/jobs/handlers.ts). Shared Signals
 * and notifications subscribe here when they land; tests subscribe a consumer of their own.
 */
const ROUTES = new Map<string, ReadonlySet<EventName>>();

export function subscribe(consumer: string, events: readonly EventName[]): () => void {
  ROUTES.set(consumer, new Set(events));
  return () => ROUTES.delete(consumer);
}

export function consumersOf(event: string): string[] {
  const out: string[] = [];
  for (const [consumer, events] of ROUTES) if (events.has(event as EventName)) out.push(consumer);
  return out;
}
