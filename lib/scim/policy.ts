import "server-only";
import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { settings } from "@/db/schema";
import { leaverReason } from "@/db/schema/enums";
import type { LeaverReason } from "@/lib/leavers/rules";

/**
 * How a provisioning client's deactivation (`active=false`, DELETE) becomes a leaver case, from two settings:
 * `scim_leaver_reason` — the case's reason, since the client does not say why (default `voluntary`: the SLA
 * then runs to the end of the day in the organisation's zone) — and `scim_leaver_grace_minutes` — how long
 * after the deactivation the case takes effect (default 60). A re-activation within that time calls the case
 * off: an assignment removed by mistake in the IdP and restored does not leave a case for an analyst to waive.
 */
export type ScimLeaverPolicy = { reason: LeaverReason; graceMinutes: number };

const DEFAULT_SCIM_LEAVER_POLICY: ScimLeaverPolicy = { reason: "voluntary", graceMinutes: 60 };

export async function loadScimLeaverPolicy(db: Db): Promise<ScimLeaverPolicy> {
  const rows = await db
    .select({ key: settings.key, value: settings.value })
    .from(settings)
    .where(inArray(settings.key, ["scim_leaver_reason", "scim_leaver_grace_minutes"]));
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const reason = value("scim_leaver_reason");
  const grace = Number(value("scim_leaver_grace_minutes"));
  return {
    reason: (leaverReason.enumValues as readonly unknown[]).includes(reason)
      ? (reason as LeaverReason)
      : DEFAULT_SCIM_LEAVER_POLICY.reason,
    graceMinutes:
      Number.isFinite(grace) && grace >= 0 && grace <= 7 * 24 * 60 ? grace : DEFAULT_SCIM_LEAVER_POLICY.graceMinutes,
  };
}
