import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { authorize, inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";

/** Headline figures over the cases not closed (the actor's team for managers), from the stored counters. */
export async function queueStats(ctx: Ctx) {
  authorize(ctx.actor, "leavers.read");
  const scope = inTeam(ctx.actor, sql.raw("identity_id"));
  const [r] = await queryRows(
    ctx.db,
    sql`
    SELECT count(*)::int AS open, count(*) FILTER (WHERE sla_due_at < ${ctx.now.toISOString()}::timestamptz)::int AS breached,
           count(*) FILTER (WHERE status = 'reopened')::int AS reopened, coalesce(sum(privileged_outstanding), 0)::int AS privileged,
           coalesce(sum(bulk_outstanding), 0)::int AS bulk, coalesce(sum(tasks_failed), 0)::int AS failed,
           count(*) FILTER (WHERE assignee_id IS NULL)::int AS unassigned
      FROM leaver_cases WHERE status <> 'closed' ${scope ? sql`AND ${scope}` : sql``}`,
    z.object({
      open: col.int,
      breached: col.int,
      reopened: col.int,
      privileged: col.int,
      bulk: col.int,
      failed: col.int,
      unassigned: col.int,
    }),
  );
  return r;
}
