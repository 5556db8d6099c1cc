import "server-only";
import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { settings } from "@/db/schema";
import { DEFAULT_POLICY, type Policy } from "./rules";

/** The admin's stale and rotation periods (settings), falling back to the defaults when unset or invalid. */
export async function loadPolicy(db: Db): Promise<Policy> {
  const rows = await db
    .select({ key: settings.key, value: settings.value })
    .from(settings)
    .where(inArray(settings.key, ["stale_after_days", "rotation_max_days"]));
  const days = (key: string, fallback: number) => {
    const v = Number(rows.find((r) => r.key === key)?.value);
    return Number.isInteger(v) && v > 0 ? v : fallback;
  };
  return {
    staleAfterDays: days("stale_after_days", DEFAULT_POLICY.staleAfterDays),
    rotationMaxDays: days("rotation_max_days", DEFAULT_POLICY.rotationMaxDays),
  };
}
