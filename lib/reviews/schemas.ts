import { z } from "zod";
import { campaignKind, campaignStatus, noResponsePolicy, reviewCadence, reviewDecision } from "@/db/schema/enums";
import { id, idParam, ids, text } from "@/lib/input";
import { pageParams } from "@/lib/pagination";

const instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v));

export const campaignScopeInput = z.object({
  departmentIds: z.array(id).max(50).optional(),
  systemIds: z.array(id).max(50).optional(),
  entitlementIds: z.array(id).max(200).optional(),
  privilegedOnly: z.boolean().optional(),
  nonHumanOnly: z.boolean().optional(),
  withFindings: z.boolean().optional(),
});

export const campaignSettings = z.object({
  kind: z.enum(campaignKind.enumValues),
  scope: campaignScopeInput,
  noResponsePolicy: z.enum(noResponsePolicy.enumValues),
  stages: z.union([z.literal(1), z.literal(2)]),
  fallbackReviewerId: id,
  reminderEveryDays: z.number().int().min(1).max(30),
  rollbackDays: z.number().int().min(1).max(30),
});

export const previewCampaignInput = campaignSettings.pick({ kind: true, scope: true, fallbackReviewerId: true });

export const createCampaignInput = campaignSettings.extend({
  name: text(200).pipe(z.string().min(3, "Name the campaign (3 characters at least).")),
  dueAt: instant,
});

export const campaignInput = z.object({ campaignId: id });

export const decideInput = z.object({
  itemIds: ids,
  decision: z.enum(reviewDecision.enumValues),
  justification: text(2000)
    .optional()
    .transform((v) => v || undefined),
  /** Reduce: the scopes the credential keeps. */
  keepScopes: z.array(text(200)).max(200).optional(),
});

export const delegateInput = z.object({ itemIds: ids, toId: id, note: text(500).optional() });

export const restoreInput = z.object({
  itemId: id,
  justification: text(2000).pipe(z.string().min(10, "Say why it must be restored (10 characters at least).")),
});

export const scheduleInput = campaignSettings.extend({
  name: text(200).pipe(z.string().min(3)),
  cadence: z.enum(reviewCadence.enumValues),
  durationDays: z.number().int().min(1).max(90),
  firstRunAt: instant,
});

export const inboxInput = pageParams.extend({
  campaign: z.coerce.number().int().positive().optional().catch(undefined),
  show: z.enum(["open", "decided", "all"]).default("open").catch("open"),
});

export const reviewerSearchInput = z.object({ q: text(100).pipe(z.string().min(1)) });
export const scheduleToggleInput = z.object({ scheduleId: id, enabled: z.boolean() });

/** The campaigns list: a status tab and keyset pages. */
export const campaignListInput = pageParams.extend({
  limit: z.coerce.number().int().min(1).max(100).default(25).catch(25),
  status: z.enum(campaignStatus.enumValues).optional().catch(undefined),
});

/** A campaign page's path and its reviewers' keyset page. */
export const campaignPageInput = pageParams.extend({
  id: idParam,
  limit: z.coerce.number().int().min(1).max(200).default(25).catch(25),
  /** Set by the create form: the page says the campaign was launched. */
  launched: z.literal("1").optional().catch(undefined),
});

/** A campaign's remediation tasks: unfinished only, or all; keyset pages. */
export const campaignTasksInput = campaignPageInput.extend({
  show: z.enum(["open", "all"]).default("open").catch("open"),
});

/** The evidence report: lines after an item id, a page at a time. */
export const reportPageInput = z.object({
  id: idParam,
  after: z.coerce.number().int().min(0).default(0).catch(0),
});
