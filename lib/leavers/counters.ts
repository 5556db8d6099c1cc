import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { BULK_WEIGHT_MIN, PRIVILEGED_WEIGHT_MIN, TIER, WEIGHT_CAP } from "./rules";

/**
 * The queue key in SQL, the same formula as `queueRank` in rules.ts (a unit test holds them equal).
 * `c` is the leaver_cases row; `out`, `priv`, `bulk` are the outstanding counts to use.
 */
export function queueRankSql(c: { status: SQL; slaDueAt: SQL }, out: SQL, priv: SQL, bulk: SQL): SQL {
  return sql`(CASE WHEN ${c.status} = 'closed' THEN ${TIER.closed} WHEN ${c.status} = 'reopened' THEN ${TIER.reopened}
                   WHEN ${out} > 0 THEN ${TIER.open} ELSE ${TIER.nothingOutstanding} END)::float8 * 1e9
             + extract(epoch FROM ${c.slaDueAt})::float8 / 60
             - least(${priv}, ${WEIGHT_CAP}) * ${PRIVILEGED_WEIGHT_MIN} - least(${bulk}, ${WEIGHT_CAP}) * ${BULK_WEIGHT_MIN}`;
}

/**
 * Recounts the cases' tasks and refreshes counters, queue rank and open → in progress, in one statement.
 * Every writer of task state calls it inside its own transaction, so the queue never lags behind the tasks.
 */
export async function refreshCaseCounters(db: Db, caseIds: readonly number[]): Promise<void> {
  if (caseIds.length === 0) return;
  const ids = `{${[...new Set(caseIds)].join(",")}}`;
  const status = sql.raw(
    `CASE WHEN c.status = 'open' AND t.progressed > 0 THEN 'in_progress'::leaver_case_status ELSE c.status END`,
  );
  await db.execute(sql`
    UPDATE leaver_cases c
       SET tasks_total = t.total, tasks_verified = t.verified, tasks_failed = t.failed,
           privileged_outstanding = t.priv, bulk_outstanding = t.bulk,
           status = ${status},
           queue_rank = ${queueRankSql({ status: status, slaDueAt: sql.raw("c.sla_due_at") }, sql.raw("t.outstanding"), sql.raw("t.priv"), sql.raw("t.bulk"))}
      FROM (
        SELECT k.id AS case_id,
               count(r.id)::int AS total,
               count(r.id) FILTER (WHERE r.state = 'verified')::int AS verified,
               count(r.id) FILTER (WHERE r.state = 'failed')::int AS failed,
               count(r.id) FILTER (WHERE r.state NOT IN ('verified', 'waived'))::int AS outstanding,
               count(r.id) FILTER (WHERE r.privileged AND r.state NOT IN ('verified', 'waived'))::int AS priv,
               count(r.id) FILTER (WHERE r.bulk_data AND r.state NOT IN ('verified', 'waived'))::int AS bulk,
               count(r.id) FILTER (WHERE r.state <> 'pending')::int AS progressed
          FROM unnest(${ids}::int[]) AS k(id)
          LEFT JOIN revocation_tasks r ON r.case_id = k.id
         GROUP BY k.id
      ) t
     WHERE c.id = t.case_id`);
}
