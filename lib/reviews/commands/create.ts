import "server-only";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { reviewCampaigns } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import { loadEligiblePerson, REVIEWER_ROLES } from "@/lib/people/eligible";
import { generateItems, planCounts } from "../generate.internal";
import type { createCampaignInput, previewCampaignInput } from "../schemas";

async function assertFallback(tx: Ctx, id: number): Promise<void> {
  const who = await loadEligiblePerson(tx.db, id, { roles: REVIEWER_ROLES });
  if (!who) {
    throw new Invalid("The fallback reviewer must be an active person who can decide reviews.", {
      fallbackReviewerId: ["Not an active reviewer"],
    });
  }
}

/** How many items and reviewers the scope yields now, before launch (writes nothing). */
export async function previewCampaign(ctx: Ctx, input: z.output<typeof previewCampaignInput>) {
  authorize(ctx.actor, "reviews.manage");
  // A transaction for the working table generation counts with (dropped at its end); nothing is written.
  return transact(ctx, async (tx) => {
    await assertFallback(tx, input.fallbackReviewerId);
    return planCounts(tx, input);
  });
}

/**
 * Creates and launches a campaign in one transaction: the campaign row, every item (set-based, with reviewer,
 * recommendation and snapshot) and its population, audited. A scope that yields nothing to review is refused.
 */
export async function createCampaign(ctx: Ctx, input: z.output<typeof createCampaignInput>) {
  authorize(ctx.actor, "reviews.manage");
  if (input.dueAt.getTime() < ctx.now.getTime() + 3_600_000) {
    throw new Invalid("The due date must be at least an hour from now.", { dueAt: ["Too soon"] });
  }
  return transact(ctx, async (tx) => {
    await assertFallback(tx, input.fallbackReviewerId);
    const [campaign] = await tx.db
      .insert(reviewCampaigns)
      .values({
        name: input.name,
        kind: input.kind,
        scope: input.scope,
        status: "active",
        noResponsePolicy: input.noResponsePolicy,
        stages: input.stages,
        fallbackReviewerId: input.fallbackReviewerId,
        reminderEveryDays: input.reminderEveryDays,
        rollbackDays: input.rollbackDays,
        startsAt: tx.now,
        dueAt: input.dueAt,
        createdById: tx.actor.id,
        createdAt: tx.now,
      })
      .returning({ id: reviewCampaigns.id });
    const population = await generateItems(tx, { id: campaign.id, ...input });
    if (population.items === 0) {
      throw new Invalid(
        population.matched === 0
          ? "Nothing matches this scope: there is nothing to review."
          : `All ${population.matched} matches are inside open leaver cases or have no possible reviewer: there is nothing to review.`,
      );
    }
    await tx.db.update(reviewCampaigns).set({ population }).where(eq(reviewCampaigns.id, campaign.id));
    await writeAudit(tx, {
      action: "review.campaign_create",
      target: { type: "review_campaign", id: campaign.id, label: input.name },
      after: {
        kind: input.kind,
        scope: input.scope,
        dueAt: input.dueAt.toISOString(),
        policy: input.noResponsePolicy,
        ...population,
      },
    });
    return { campaignId: campaign.id, population };
  });
}

/** Launches a draft campaign as it was saved (its scope is selected now). */
export async function launchCampaign(ctx: Ctx, input: { campaignId: number }) {
  authorize(ctx.actor, "reviews.manage");
  return transact(ctx, async (tx) => {
    const [c] = await tx.db
      .select()
      .from(reviewCampaigns)
      .where(eq(reviewCampaigns.id, input.campaignId))
      .for("update");
    if (!c) throw new NotFound("That campaign");
    if (c.status !== "draft") throw new Conflict("Only a draft campaign can be launched.");
    if (c.dueAt.getTime() <= tx.now.getTime()) throw new Conflict("Its due date has passed: set a new one first.");
    const fallback = c.fallbackReviewerId ?? tx.actor.id;
    if (fallback === null) throw new Invalid("Name a fallback reviewer first.");
    await assertFallback(tx, fallback);
    const population = await generateItems(tx, {
      id: c.id,
      kind: c.kind,
      scope: c.scope,
      fallbackReviewerId: fallback,
    });
    if (population.items === 0) throw new Invalid("Nothing matches this scope: there is nothing to review.");
    await tx.db
      .update(reviewCampaigns)
      .set({ status: "active", startsAt: tx.now, fallbackReviewerId: fallback, population })
      .where(eq(reviewCampaigns.id, c.id));
    await writeAudit(tx, {
      action: "review.campaign_start",
      target: { type: "review_campaign", id: c.id, label: c.name },
      before: { status: "draft" },
      after: { status: "active", ...population },
    });
    return { campaignId: c.id, population };
  });
}
