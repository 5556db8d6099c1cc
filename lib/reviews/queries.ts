import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { reviewCampaigns, reviewItems } from "@/db/schema";
import { authorize, peopleReach } from "@/lib/authz";
import type { Ctx } from "@/lib/context";

/**
 * Campaigns with their completion. Analysts and admins see every campaign; a reviewer (manager) sees the
 * campaigns holding items assigned to them, with their own share of the work.
 */
export async function listCampaigns(ctx: Ctx) {
  authorize(ctx.actor, "reviews.read");
  const mine = peopleReach(ctx.actor) !== "all" ? ctx.actor.id : null;
  const itemFilter = mine === null ? sql`true` : sql`${reviewItems.reviewerId} = ${mine}`;
  return ctx.db
    .select({
      id: reviewCampaigns.id,
      name: reviewCampaigns.name,
      kind: reviewCampaigns.kind,
      status: reviewCampaigns.status,
      startsAt: reviewCampaigns.startsAt,
      dueAt: reviewCampaigns.dueAt,
      noResponsePolicy: reviewCampaigns.noResponsePolicy,
      items: sql<number>`count(${reviewItems.id}) FILTER (WHERE ${itemFilter})::int`,
      decided: sql<number>`count(${reviewItems.decision}) FILTER (WHERE ${itemFilter})::int`,
      revoked: sql<number>`count(*) FILTER (WHERE ${reviewItems.decision} = 'revoke' AND ${itemFilter})::int`,
    })
    .from(reviewCampaigns)
    .leftJoin(reviewItems, eq(reviewItems.campaignId, reviewCampaigns.id))
    .groupBy(reviewCampaigns.id)
    .having(mine === null ? undefined : sql`count(*) FILTER (WHERE ${reviewItems.reviewerId} = ${mine}) > 0`)
    .orderBy(sql`${reviewCampaigns.status} = 'active' DESC`, desc(reviewCampaigns.dueAt));
}
