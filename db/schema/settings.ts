import { integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { identities } from "./org";

/** Admin policies that are a single value (rotation age, stale threshold, drift-watch days…). */
export const settings = pgTable("settings", {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedById: integer().references(() => identities.id, { onDelete: "set null" }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
