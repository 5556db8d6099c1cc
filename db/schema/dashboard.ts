import { date, doublePrecision, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { reviewCampaigns } from "./reviews";

/**
 * One value per day and metric (people, phishing_resistant, open_cases, …; lib/dashboard/history.ts names
 * them): the trend lines and arrows of the dashboard tiles and the factor-strength trend. Written once a day
 * by the posture.snapshot job (idempotent per day); the seed replays 180 days from the event timestamps.
 */
export const kpiSnapshots = pgTable(
  "kpi_snapshots",
  {
    day: date({ mode: "string" }).notNull(),
    metric: text().notNull(),
    value: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.metric, t.day] })],
);

/**
 * Items and decided items per review campaign, kept by a trigger on review_items (migration 0011) so the
 * dashboard's completion figure does not count 100k items per request.
 */
export const reviewProgress = pgTable("review_progress", {
  campaignId: integer()
    .primaryKey()
    .references(() => reviewCampaigns.id, { onDelete: "cascade" }),
  items: integer().notNull().default(0),
  decided: integer().notNull().default(0),
});
