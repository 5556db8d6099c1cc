import { bigint, integer, pgTable, varchar } from "drizzle-orm/pg-core";

/**
 * Throttling counters on PostgreSQL (lib/edge/rate-limit.ts): the table layout rate-limiter-flexible's
 * RateLimiterPostgres reads and writes (one row per limit and subject; `expire` in epoch milliseconds). Created here
 * so the app's database role needs no CREATE privilege. The embedded database counts in memory instead.
 */
export const rateLimits = pgTable("rate_limits", {
  key: varchar({ length: 255 }).primaryKey(),
  points: integer().notNull().default(0),
  expire: bigint({ mode: "number" }),
});
