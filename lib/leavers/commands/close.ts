import { sql } from "drizzle-orm";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, NotFound } from "@/lib/errors";
import { refreshCaseCounters } from "../counters";
import { loadLeaverPolicy } from "../policy";

/**
 * Closes a case once every task is verified or waived. The person is now gone (status disabled), and the
 * drift watch re-verifies the revocations daily for the policy's number of days.
 */
export async function closeCase(
  ctx: Ctx,
  input: { caseId: number },
): Promise<{ closedAt: string; driftWatchUntil: string }> {
  authorize(ctx.actor, "leavers.manage");
  return transact(ctx, async (tx) => {
    const [c] = (
      (await tx.db.execute(sql`
      SELECT c.id, c.status::text AS status, c.identity_id, i.display_name AS name,
             (SELECT count(*) FROM revocation_tasks t WHERE t.case_id = c.id AND t.state NOT IN ('verified', 'waived'))::int AS outstanding,
             (SELECT count(*) FROM revocation_tasks t WHERE t.case_id = c.id AND t.state = 'waived')::int AS waived,
             (SELECT count(*) FROM revocation_tasks t WHERE t.case_id = c.id)::int AS total
        FROM leaver_cases c JOIN identities i ON i.id = c.identity_id WHERE c.id = ${input.caseId} FOR UPDATE OF c`)) as unknown as {
        rows: {
          id: number;
          status: string;
          identity_id: number;
          name: string;
          outstanding: number;
          waived: number;
          total: number;
        }[];
      }
    ).rows;
    if (!c) throw new NotFound("That case");
    if (c.status === "closed") throw new Conflict("The case is already closed.");
    if (Number(c.outstanding) > 0)
      throw new Conflict(
        `${c.outstanding} task${Number(c.outstanding) === 1 ? " is" : "s are"} not verified or waived yet.`,
      );
    const policy = await loadLeaverPolicy(tx.db);
    const until = new Date(tx.now.getTime() + policy.driftWatchDays * 86_400_000);
    await tx.db.execute(sql`
      UPDATE leaver_cases SET status = 'closed', closed_at = ${tx.now.toISOString()}::timestamptz, closed_by_id = ${tx.actor.id},
             drift_watch_until = ${until.toISOString()}::timestamptz, last_drift_check_at = ${tx.now.toISOString()}::timestamptz
       WHERE id = ${c.id}`);
    await tx.db.execute(
      sql`UPDATE identities SET status = 'disabled', updated_at = ${tx.now.toISOString()}::timestamptz WHERE id = ${c.identity_id} AND status = 'leaver'`,
    );
    await refreshCaseCounters(tx.db, [Number(c.id)]);
    await writeAudit(tx, {
      action: "leaver.close",
      target: { type: "leaver_case", id: Number(c.id), label: c.name },
      before: { status: c.status },
      after: {
        status: "closed",
        tasks: Number(c.total),
        waived: Number(c.waived),
        driftWatchUntil: until.toISOString(),
      },
    });
    return { closedAt: tx.now.toISOString(), driftWatchUntil: until.toISOString() };
  });
}
