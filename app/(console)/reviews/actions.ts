"use server";

import { defineAction } from "@/lib/edge/action";
import {
  closeCampaign,
  createCampaign,
  createSchedule,
  decideItems,
  delegateItems,
  launchCampaign,
  nudgeReviewers,
  previewCampaign,
  restoreItem,
  setScheduleEnabled,
} from "@/lib/reviews/commands";
import { searchReviewers } from "@/lib/reviews/queries";
import {
  campaignInput,
  createCampaignInput,
  decideInput,
  delegateInput,
  previewCampaignInput,
  restoreInput,
  reviewerSearchInput,
  scheduleInput,
  scheduleToggleInput,
} from "@/lib/reviews/schemas";

// Wiring only: each action names its event and permission; the lib service checks again and does the work.

export const previewCampaignAction = defineAction({
  name: "review.preview",
  permission: "reviews.manage",
  input: previewCampaignInput,
  run: ({ ctx, input }) => previewCampaign(ctx, input),
});

export const createCampaignAction = defineAction({
  name: "review.campaign_create",
  permission: "reviews.manage",
  input: createCampaignInput,
  run: ({ ctx, input }) => createCampaign(ctx, input),
});

export const launchCampaignAction = defineAction({
  name: "review.campaign_start",
  permission: "reviews.manage",
  input: campaignInput,
  run: ({ ctx, input }) => launchCampaign(ctx, input),
});

export const closeCampaignAction = defineAction({
  name: "review.campaign_close",
  permission: "reviews.manage",
  input: campaignInput,
  run: ({ ctx, input }) => closeCampaign(ctx, input),
});

export const nudgeReviewersAction = defineAction({
  name: "review.remind",
  permission: "reviews.manage",
  input: campaignInput,
  run: ({ ctx, input }) => nudgeReviewers(ctx, input),
});

export const decideItemsAction = defineAction({
  name: "review.decide",
  permission: "reviews.decide",
  input: decideInput,
  run: ({ ctx, input }) => decideItems(ctx, input),
});

export const delegateItemsAction = defineAction({
  name: "review.delegate",
  permission: "reviews.decide",
  input: delegateInput,
  run: ({ ctx, input }) => delegateItems(ctx, input),
});

export const restoreItemAction = defineAction({
  name: "review.restore",
  permission: "reviews.decide",
  input: restoreInput,
  run: ({ ctx, input }) => restoreItem(ctx, input),
});

export const searchReviewersAction = defineAction({
  name: "review.search_reviewers",
  permission: "reviews.decide",
  input: reviewerSearchInput,
  run: ({ ctx, input }) => searchReviewers(ctx, input.q),
});

export const createScheduleAction = defineAction({
  name: "review.schedule_create",
  permission: "reviews.manage",
  input: scheduleInput,
  run: ({ ctx, input }) => createSchedule(ctx, input),
});

export const setScheduleEnabledAction = defineAction({
  name: "review.schedule_update",
  permission: "reviews.manage",
  input: scheduleToggleInput,
  run: ({ ctx, input }) => setScheduleEnabled(ctx, input),
});
