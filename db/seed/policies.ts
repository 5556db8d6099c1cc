import { settings, slaPolicies } from "@/db/schema";
import type { SeedCtx } from "./context";

/** Admin policies: leaver SLAs by reason and the single-value settings the product reads. */
export const SLA_DEFAULTS = [
  // Involuntary and layoff leavers are cut off from the moment they are told; the others at the end of their last day.
  { reason: "involuntary", anchor: "effective_time", minutes: 60 },
  { reason: "layoff", anchor: "effective_time", minutes: 240 },
  { reason: "voluntary", anchor: "end_of_last_day", minutes: 0 },
  { reason: "contract_end", anchor: "end_of_last_day", minutes: 0 },
] as const;

export const SETTINGS_DEFAULTS: Record<string, number | string> = {
  rotation_max_days: 90,
  stale_after_days: 90,
  drift_watch_days: 30,
  // Where "end of the last day" is reckoned for voluntary and contract-end SLAs (lib/leavers/policy.ts).
  org_time_zone: "UTC",
};

export async function seedPolicies(ctx: SeedCtx): Promise<void> {
  const updatedAt = new Date(ctx.now.getTime() - 88 * 86_400_000);
  await ctx.db.insert(slaPolicies).values(SLA_DEFAULTS.map((p) => ({ ...p, updatedById: ctx.ids.priya, updatedAt })));
  await ctx.db
    .insert(settings)
    .values(
      Object.entries(SETTINGS_DEFAULTS).map(([key, value]) => ({ key, value, updatedById: ctx.ids.priya, updatedAt })),
    );
}
