import "server-only";
import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { settings, slaPolicies } from "@/db/schema";
import { safeTimeZone } from "@/lib/time";
import { DEFAULT_SLA, type LeaverReason, type SlaPolicy } from "./rules";

/** The admin's leaver policies, with the documented defaults for anything not set. */
export type LeaverPolicy = {
  sla: Record<LeaverReason, SlaPolicy>;
  /** Settings key `org_time_zone`: where "end of the last day" is reckoned. */
  timeZone: string;
  /** Settings key `drift_watch_days`. */
  driftWatchDays: number;
};

export async function loadLeaverPolicy(db: Db): Promise<LeaverPolicy> {
  const [policies, values] = await Promise.all([
    db.select().from(slaPolicies),
    db
      .select({ key: settings.key, value: settings.value })
      .from(settings)
      .where(inArray(settings.key, ["org_time_zone", "drift_watch_days"])),
  ]);
  const sla = { ...DEFAULT_SLA };
  for (const p of policies) sla[p.reason] = { reason: p.reason, anchor: p.anchor, minutes: p.minutes };
  const setting = (key: string) => values.find((v) => v.key === key)?.value;
  const days = Number(setting("drift_watch_days"));
  return {
    sla,
    timeZone: safeTimeZone(typeof setting("org_time_zone") === "string" ? (setting("org_time_zone") as string) : "UTC"),
    driftWatchDays: Number.isFinite(days) && days > 0 ? days : 30,
  };
}
