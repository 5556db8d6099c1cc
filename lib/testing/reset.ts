import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/** Drops everything (the audit table refuses DELETE/TRUNCATE by design, so schemas go instead). */
export async function dropAllSchemas(db: Db): Promise<void> {
  await db.execute(sql`DROP SCHEMA IF EXISTS drizzle CASCADE`);
  await db.execute(sql`DROP SCHEMA IF EXISTS public CASCADE`);
  await db.execute(sql`CREATE SCHEMA public`);
}
