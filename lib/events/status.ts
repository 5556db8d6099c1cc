import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";

export type ConsumerStatus = {
  consumer: string;
  pending: number;
  delivered: number;
  dead: number;
  oldestPendingAt: Date | null;
  lastError: string | null;
};

/** Delivery state per outbox consumer, for the people who watch the integrations (the audit page). */
export async function outboxStatus(ctx: Ctx): Promise<ConsumerStatus[]> {
  authorize(ctx.actor, "audit.read");
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT consumer,
           count(*) FILTER (WHERE state = 'pending')::int AS pending,
           count(*) FILTER (WHERE state = 'delivered')::int AS delivered,
           count(*) FILTER (WHERE state = 'dead')::int AS dead,
           min(occurred_at) FILTER (WHERE state = 'pending') AS oldest_pending_at,
           (array_agg(last_error ORDER BY id DESC) FILTER (WHERE last_error IS NOT NULL AND state <> 'delivered'))[1] AS last_error
      FROM outbox_messages GROUP BY consumer ORDER BY consumer`,
    z.object({
      consumer: col.text,
      pending: col.int,
      delivered: col.int,
      dead: col.int,
      oldest_pending_at: col.dateOrNull,
      last_error: col.textOrNull,
    }),
  );
  return rows.map((r) => ({
    consumer: r.consumer,
    pending: r.pending,
    delivered: r.delivered,
    dead: r.dead,
    oldestPendingAt: r.oldest_pending_at,
    lastError: r.last_error,
  }));
}
