import "server-only";
import { eq } from "drizzle-orm";
import { reviewCampaigns } from "@/db/schema";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, NotFound } from "@/lib/errors";
import { remindReviewers } from "../enforce.internal";

/** An analyst reminds every reviewer of an active campaign who still has items, now. */
export async function nudgeReviewers(ctx: Ctx, input: { campaignId: number }) {
  authorize(ctx.actor, "reviews.manage");
  return transact(ctx, async (tx) => {
    const [c] = await tx.db
      .select({ status: reviewCampaigns.status })
      .from(reviewCampaigns)
      .where(eq(reviewCampaigns.id, input.campaignId));
    if (!c) throw new NotFound("That campaign");
    if (c.status !== "active") throw new Conflict("Only an active campaign's reviewers can be reminded.");
    return remindReviewers(tx, { campaignId: input.campaignId, force: true });
  });
}
