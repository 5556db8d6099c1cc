import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { writeAuditMany } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Invalid } from "@/lib/errors";

/** Assigns open cases to an analyst (someone who can work them), or unassigns them. */
export async function assignCases(
  ctx: Ctx,
  input: { caseIds: number[]; assigneeId: number | null },
): Promise<{ assigned: number }> {
  authorize(ctx.actor, "leavers.manage");
  return transact(ctx, async (tx) => {
    let name: string | null = null;
    if (input.assigneeId !== null) {
      const [who] = await queryRows<{ name: string }>(
        tx.db,
        sql`
        SELECT i.display_name AS name FROM identities i
         WHERE i.id = ${input.assigneeId} AND i.status = 'active' AND i.kind = 'human'
           AND EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id AND r.role IN ('analyst', 'admin'))`,
      );
      if (!who) throw new Invalid("Cases can be assigned only to an active analyst or administrator.");
      name = who.name;
    }
    const updated = await queryRows<{ id: number; before: number | null }>(
      tx.db,
      sql`
      UPDATE leaver_cases c SET assignee_id = ${input.assigneeId}
        FROM (SELECT id, assignee_id AS before FROM leaver_cases WHERE id = ANY(${`{${input.caseIds.join(",")}}`}::int[]) AND status <> 'closed' FOR UPDATE) old
       WHERE c.id = old.id
      RETURNING c.id, old.before`,
    );
    await writeAuditMany(
      tx,
      updated.map((r) => ({
        action: "leaver.assign",
        target: { type: "leaver_case", id: Number(r.id) },
        before: { assigneeId: r.before },
        after: { assigneeId: input.assigneeId, assignee: name },
      })),
    );
    return { assigned: updated.length };
  });
}
