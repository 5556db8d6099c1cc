import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { aggregateScope, authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { type Department, rollUpTree, type TreeRow } from "./tree";
import type { Outcome } from "./what-if";

/**
 * The channel-outage what-if (rules in ./what-if.ts) as SQL over the raw factors: only people with an active
 * factor on the channel can be affected, so the work starts from the partial channel index, not from everyone.
 */

/** One row per affected person: identity_id, locked_out, weaker_recovery, stranded. */
function outageImpactSql(channel: string, now: Date): SQL {
  const at = now.toISOString();
  const strength = sql`factor_strength(a.type, a.usage, a.user_verification)`;
  return sql`(
    SELECT x.identity_id,
           NOT x.other_sign_in AS locked_out,
           NOT x.other_sign_in AND x.recovery_left < x.primary_before AS weaker_recovery,
           NOT x.other_sign_in AND x.recovery_left IS NULL AS stranded
      FROM (
        SELECT a.identity_id,
               coalesce(bool_or(a.usage = 'primary' AND ${strength} >= 1 AND a.channel IS DISTINCT FROM ${channel}), false) AS other_sign_in,
               coalesce(max(${strength}) FILTER (WHERE a.usage = 'primary'), 0) AS primary_before,
               max(${strength}) FILTER (WHERE a.usage = 'recovery' AND a.channel IS DISTINCT FROM ${channel}) AS recovery_left
          FROM authenticators a
         WHERE a.status = 'active' AND (a.expires_at IS NULL OR a.expires_at > ${at}::timestamptz)
           AND a.identity_id IN (
             SELECT u.identity_id FROM authenticators u
              WHERE u.channel = ${channel} AND u.status = 'active' AND u.usage = 'primary'
                AND (u.expires_at IS NULL OR u.expires_at > ${at}::timestamptz)
                AND factor_strength(u.type, u.usage, u.user_verification) >= 1)
         GROUP BY a.identity_id
      ) x
  )`;
}

/** WHERE fragment: the person (`p.identity_id`) has this outcome under an outage of the channel. */
export function outcomeFilterSql(channel: string, outcome: Outcome, now: Date): SQL {
  const column = {
    affected: sql`true`,
    locked_out: sql`o.locked_out`,
    weaker_recovery: sql`o.weaker_recovery`,
    stranded: sql`o.stranded`,
  }[outcome];
  return sql`EXISTS (SELECT 1 FROM ${outageImpactSql(channel, now)} o WHERE o.identity_id = p.identity_id AND ${column})`;
}

export type ChannelOption = { channel: string; people: number };

/** Channels in use by active people in scope, most used first (the picker offers what the data has). */
export async function outageChannels(ctx: Ctx): Promise<ChannelOption[]> {
  authorize(ctx.actor, "factors.aggregate");
  const scope = aggregateScope(ctx.actor, sql`a.identity_id`);
  return queryRows(
    ctx.db,
    sql`
    SELECT a.channel, count(DISTINCT a.identity_id)::int AS people
      FROM authenticators a JOIN identity_posture p ON p.identity_id = a.identity_id AND p.active
     WHERE a.channel IS NOT NULL AND a.status = 'active' ${scope ? sql`AND ${scope}` : sql``}
     GROUP BY a.channel ORDER BY people DESC, a.channel`,
    z.object({ channel: col.text, people: col.int }),
  );
}

/** Counts of one side (privileged people, or everyone) of a department's outage figures. */
export type OutageCounts = { affected: number; lockedOut: number; weakerRecovery: number; stranded: number };
type OutageFigures = { all: OutageCounts; privileged: OutageCounts };
export type OutageReport = { channel: string; rows: TreeRow<OutageFigures>[]; total: OutageFigures };

const zero = (): OutageCounts => ({ affected: 0, lockedOut: 0, weakerRecovery: 0, stranded: 0 });
const add = (a: OutageCounts, b: OutageCounts): OutageCounts => ({
  affected: a.affected + b.affected,
  lockedOut: a.lockedOut + b.lockedOut,
  weakerRecovery: a.weakerRecovery + b.weakerRecovery,
  stranded: a.stranded + b.stranded,
});
const OPS = {
  empty: (): OutageFigures => ({ all: zero(), privileged: zero() }),
  add: (a: OutageFigures, b: OutageFigures): OutageFigures => ({
    all: add(a.all, b.all),
    privileged: add(a.privileged, b.privileged),
  }),
  isEmpty: (v: OutageFigures) => v.all.affected === 0,
  // Privileged people first: departments where privileged people get locked out lead, then the most locked out.
  order: (a: OutageFigures, b: OutageFigures) =>
    b.privileged.lockedOut - a.privileged.lockedOut || b.all.lockedOut - a.all.lockedOut,
};

/** Per department (subtree totals), people affected, locked out, pushed to a weaker path, stranded. */
export async function outageByDepartment(ctx: Ctx, channel: string, departments: Department[]): Promise<OutageReport> {
  authorize(ctx.actor, "factors.aggregate");
  const scope = aggregateScope(ctx.actor, sql`p.identity_id`);
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT p.department_id, p.has_privileged AS privileged, count(*)::int AS affected,
           (count(*) FILTER (WHERE o.locked_out))::int AS locked_out,
           (count(*) FILTER (WHERE o.weaker_recovery))::int AS weaker,
           (count(*) FILTER (WHERE o.stranded))::int AS stranded
      FROM ${outageImpactSql(channel, ctx.now)} o
      JOIN identity_posture p ON p.identity_id = o.identity_id AND p.active
     ${scope ? sql`WHERE ${scope}` : sql``}
     GROUP BY 1, 2`,
    z.object({
      department_id: col.intOrNull,
      privileged: col.bool,
      affected: col.int,
      locked_out: col.int,
      weaker: col.int,
      stranded: col.int,
    }),
  );
  const own = new Map<number | null, OutageFigures>();
  for (const r of rows) {
    const key = r.department_id;
    const counts = { affected: r.affected, lockedOut: r.locked_out, weakerRecovery: r.weaker, stranded: r.stranded };
    const f = own.get(key) ?? OPS.empty();
    own.set(key, { all: add(f.all, counts), privileged: r.privileged ? add(f.privileged, counts) : f.privileged });
  }
  return { channel, rows: rollUpTree(departments, own, OPS), total: [...own.values()].reduce(OPS.add, OPS.empty()) };
}
