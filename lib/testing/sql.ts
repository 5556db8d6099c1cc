import type { SQL } from "drizzle-orm";
import type { Db } from "@/db/client";

/** Rows of a raw SQL query on either driver (both return `{ rows }`); cast numbers with ::int in the SQL. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows?: T[] };
  return result.rows ?? [];
}
