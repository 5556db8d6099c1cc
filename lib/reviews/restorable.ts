import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";

/**
 * Privileged access the no-response policy revoked at close, still inside its rollback window and not restored:
 * what restoreItem accepts. Two readers, scoped in the WHERE clause: whoever runs campaigns sees a campaign's
 * (the campaign page), a reviewer sees their own across campaigns (My reviews, where a manager works — the
 * campaign page is not theirs).
 */
const restorableRow = z.object({
  id: col.int,
  campaign_id: col.int,
  campaign: col.text,
  subject: col.text,
  what: col.text,
  system: col.text,
  reviewer: col.text,
  reviewer_id: col.int,
  subject_id: col.int,
  rollback_until: col.date,
});

const LIMIT = 100;

function restorable(ctx: Ctx, where: SQL) {
  return queryRows(
    ctx.db,
    sql`
    SELECT i.id, i.campaign_id, c.name AS campaign, p.display_name AS subject,
           coalesce(i.snapshot->>'entitlement', i.snapshot->>'name', '') AS what,
           coalesce(i.snapshot->>'system', '') AS system, r.display_name AS reviewer, i.reviewer_id, i.subject_id, i.rollback_until
      FROM review_items i JOIN review_campaigns c ON c.id = i.campaign_id
      JOIN identities p ON p.id = i.subject_id JOIN identities r ON r.id = i.reviewer_id
     WHERE ${where} AND i.decision_source = 'policy' AND i.decision = 'revoke'
       AND i.restored_at IS NULL AND i.rollback_until > ${ctx.now.toISOString()}::timestamptz
     ORDER BY i.rollback_until, i.id LIMIT ${LIMIT}`,
    restorableRow,
  );
}

/** A campaign's restorable items (the campaign page's restore panel). */
export async function restorableItems(ctx: Ctx, campaignId: number) {
  authorize(ctx.actor, "reviews.manage");
  return restorable(ctx, sql`i.campaign_id = ${campaignId}`);
}

/** The signed-in reviewer's restorable items, in every campaign (My reviews). */
export async function myRestorableItems(ctx: Ctx) {
  authorize(ctx.actor, "reviews.decide");
  return restorable(ctx, sql`i.reviewer_id = ${ctx.actor.id ?? 0}`);
}
