import "server-only";
import { sql } from "drizzle-orm";
import { bigintArray } from "@/db/sql";
import { writeAuditMany } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Invalid } from "@/lib/errors";
import { loadEligiblePerson, REVIEWER_ROLES } from "@/lib/people/eligible";
import { lockOwnItems } from "./decide";

/** Hands items to another eligible reviewer (who is not their subject), audited; they get them at once. */
export async function delegateItems(ctx: Ctx, input: { itemIds: number[]; toId: number; note?: string }) {
  authorize(ctx.actor, "reviews.decide");
  return transact(ctx, async (tx) => {
    const items = await lockOwnItems(tx, input.itemIds);
    if (input.toId === tx.actor.id) throw new Invalid("These items are already yours.");
    const to = await loadEligiblePerson(tx.db, input.toId, { roles: REVIEWER_ROLES });
    if (!to) throw new Invalid("Delegate to an active person who can decide reviews.", { toId: ["Not a reviewer"] });
    if (items.some((i) => i.subject_id === to.id)) {
      throw new Invalid(`${to.name} cannot review their own access: choose someone else.`, { toId: ["Subject"] });
    }
    await tx.db.execute(sql`
      UPDATE review_items SET reviewer_id = ${to.id}, reviewer_relation = 'delegate', assigned_at = ${tx.now.toISOString()}::timestamptz,
             decision = NULL, decision_source = NULL, decided_by_id = NULL, decided_at = NULL, justification = NULL, kept_scopes = NULL
       WHERE id = ANY(${bigintArray(items.map((i) => i.id))})`);
    await writeAuditMany(
      tx,
      items.map((i) => ({
        action: "review.delegate" as const,
        target: { type: "review_item", id: i.id, label: i.label },
        before: { reviewerId: tx.actor.id, decision: i.decision },
        after: { reviewerId: to.id, reviewer: to.name, note: input.note ?? null },
        metadata: { campaignId: i.campaign_id },
      })),
    );
    return { delegated: items.length, to: to.name };
  });
}
