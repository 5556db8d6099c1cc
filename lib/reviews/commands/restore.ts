import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { reviewItems } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize, can } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Forbidden, NotFound } from "@/lib/errors";
import { queueTasks, requestRemediation } from "@/lib/remediation/internal";

/**
 * Privileged access revoked because nobody answered can be restored within the campaign's rollback window, with a
 * justification, by its reviewer or by whoever runs campaigns (reviews.manage: the campaign page's restore panel) —
 * never by the person whose access it is. The grant is added back at the system through the remediation engine
 * (origin: the item), verified like any change.
 */
export async function restoreItem(ctx: Ctx, input: { itemId: number; justification: string }) {
  authorize(ctx.actor, "reviews.decide");
  return transact(ctx, async (tx) => {
    const [item] = await queryRows(
      tx.db,
      sql`
      SELECT i.id, i.campaign_id, i.subject_id, i.rollback_until, i.restored_at, e.id AS entitlement_id, e.name AS entitlement,
             a.id AS account_id, a.system_id, a.status::text AS account_status, s.name AS system
        FROM review_items i
        JOIN grants g ON g.id = i.grant_id JOIN accounts a ON a.id = g.account_id
        JOIN entitlements e ON e.id = g.entitlement_id JOIN systems s ON s.id = a.system_id
       WHERE i.id = ${input.itemId} AND (i.reviewer_id = ${tx.actor.id} OR ${can(tx.actor, "reviews.manage")}) AND i.decision_source = 'policy' AND i.decision = 'revoke'
         FOR UPDATE OF i`,
      z.object({
        id: col.int,
        campaign_id: col.int,
        subject_id: col.int,
        rollback_until: col.dateOrNull,
        restored_at: col.dateOrNull,
        entitlement_id: col.int,
        entitlement: col.text,
        account_id: col.int,
        system_id: col.int,
        account_status: col.text,
        system: col.text,
      }),
    );
    if (!item) throw new NotFound("That item");
    if (item.subject_id === tx.actor.id) throw new Forbidden("You cannot restore your own access: ask its reviewer.");
    if (item.restored_at) throw new Conflict("It was restored already.");
    if (!item.rollback_until || item.rollback_until.getTime() < tx.now.getTime()) {
      throw new Conflict("The rollback window has passed: request the access again.");
    }
    if (item.account_status !== "active")
      throw new Conflict("The account is no longer active: request the access again.");
    const [task] = await requestRemediation(tx, {
      origin: "review_item",
      items: [
        {
          originId: item.id,
          subjectId: item.subject_id,
          systemId: item.system_id,
          action: "add_grant",
          targetType: "entitlement",
          targetId: item.entitlement_id,
          label: `${item.entitlement} on ${item.system} (restored)`,
          privileged: true,
          priority: 10,
          params: { accountId: item.account_id, grantSource: "review" },
        },
      ],
    });
    if (task) await queueTasks(tx, { taskIds: [task.id] });
    await tx.db
      .update(reviewItems)
      .set({
        restoredAt: tx.now,
        restoredById: tx.actor.id,
        justification: sql`${reviewItems.justification} || ' — restored: ' || ${input.justification}`,
      })
      .where(eq(reviewItems.id, item.id));
    await writeAudit(tx, {
      action: "review.restore",
      target: { type: "review_item", id: item.id, label: `${item.entitlement} on ${item.system}` },
      before: { decision: "revoke", source: "policy" },
      after: { restored: true, justification: input.justification, taskId: task?.id ?? null },
      metadata: { campaignId: item.campaign_id },
    });
    return { taskId: task?.id ?? null };
  });
}
