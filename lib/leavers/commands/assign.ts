import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { intArray } from "@/db/sql";
import { writeAuditMany } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Invalid } from "@/lib/errors";
import { CASE_WORKER_ROLES, loadEligiblePerson } from "@/lib/people/eligible";

/** Those who can work a case. */

/** Assigns open cases to an analyst (someone who can work them), or unassigns them. */
export async function assignCases(
  ctx: Ctx,
  input: { caseIds: number[]; assigneeId: number | null },
): Promise<{ assigned: number }> {
  authorize(ctx.actor, "leavers.manage");
  return transact(ctx, async (tx) => {
    let name: string | null = null;
    if (input.assigneeId !== null) {
      const who = await loadEligiblePerson(tx.db, input.assigneeId, { roles: CASE_WORKER_ROLES });
      if (!who) throw new Invalid("Cases can be assigned only to an active analyst or administrator.");
      name = who.name;
    }
    // The old assignee is read in the same statement (under the row lock) so the audit says what it replaced.
    const updated = await queryRows(
      tx.db,
      sql`
      UPDATE leaver_cases c SET assignee_id = ${input.assigneeId}
        FROM (SELECT id, assignee_id AS before FROM leaver_cases
               WHERE id = ANY(${intArray(input.caseIds)}) AND status <> 'closed' FOR UPDATE) old
       WHERE c.id = old.id
      RETURNING c.id, old.before`,
      z.object({ id: col.int, before: col.intOrNull }),
    );
    await writeAuditMany(
      tx,
      updated.map((r) => ({
        action: "leaver.assign",
        target: { type: "leaver_case", id: r.id },
        before: { assigneeId: r.before },
        after: { assigneeId: input.assigneeId, assignee: name },
      })),
    );
    return { assigned: updated.length };
  });
}
