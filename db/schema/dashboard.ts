import { date, doublePrecision, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

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
