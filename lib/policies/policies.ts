import "server-only";
import { z } from "zod";
import { settings, slaPolicies } from "@/db/schema";
import { leaverReason, slaAnchor } from "@/db/schema/enums";
import { loadPolicy as loadCredentialPolicy } from "@/lib/api-scopes/policy";
import { writeAudit } from "@/lib/audit";
import { loadSessionPolicy } from "@/lib/auth/console-sessions";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { loadLeaverPolicy } from "@/lib/leavers/policy";

/**
 * The organisation's policies an administrator edits on Settings → Policies, each stored where its reader looks
 * (the leaver SLAs in `sla_policies`, the rest one `settings` row each) and read through that reader, so this page
 * and the product never disagree about a value or its default.
 */
const wholeNumber = (min: number, max: number, unit: string) =>
  z
    .number({ error: "A whole number." })
    .int("A whole number.")
    .min(min, `At least ${min} ${unit}.`)
    .max(max, `At most ${max} ${unit}.`);

const timeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "Not a time zone this server knows (IANA names, e.g. Europe/Berlin).");

const sla = z.object({ anchor: z.enum(slaAnchor.enumValues), minutes: wholeNumber(0, 30 * 24 * 60, "minutes") });

export const policiesInput = z.object({
  sla: z.object(
    Object.fromEntries(leaverReason.enumValues.map((r) => [r, sla])) as Record<
      (typeof leaverReason.enumValues)[number],
      typeof sla
    >,
  ),
  orgTimeZone: timeZone,
  driftWatchDays: wholeNumber(1, 365, "days"),
  rotationMaxDays: wholeNumber(1, 3650, "days"),
  staleAfterDays: wholeNumber(1, 3650, "days"),
  sessionIdleMinutes: wholeNumber(5, 24 * 60, "minutes"),
  sessionAbsoluteHours: wholeNumber(1, 24, "hours"),
});
export type Policies = z.infer<typeof policiesInput>;

/** Each single-value policy: its settings key and what the audit log calls it. */
const SETTINGS = {
  orgTimeZone: { key: "org_time_zone", label: "Organisation time zone" },
  driftWatchDays: { key: "drift_watch_days", label: "Drift watch (days after a case closes)" },
  rotationMaxDays: { key: "rotation_max_days", label: "Credential rotation due after (days)" },
  staleAfterDays: { key: "stale_after_days", label: "Credential stale after (days unused)" },
  sessionIdleMinutes: { key: "session_idle_minutes", label: "Console session idle timeout (minutes)" },
  sessionAbsoluteHours: { key: "session_absolute_hours", label: "Console session lifetime (hours)" },
} as const satisfies Record<Exclude<keyof Policies, "sla">, { key: string; label: string }>;

async function read(db: Ctx["db"]): Promise<Policies> {
  const [leaver, credential, session] = await Promise.all([
    loadLeaverPolicy(db),
    loadCredentialPolicy(db),
    loadSessionPolicy(db),
  ]);
  return {
    sla: Object.fromEntries(
      leaverReason.enumValues.map((r) => [r, { anchor: leaver.sla[r].anchor, minutes: leaver.sla[r].minutes }]),
    ) as Policies["sla"],
    orgTimeZone: leaver.timeZone,
    driftWatchDays: leaver.driftWatchDays,
    rotationMaxDays: credential.rotationMaxDays,
    staleAfterDays: credential.staleAfterDays,
    sessionIdleMinutes: session.idleMinutes,
    sessionAbsoluteHours: session.absoluteHours,
  };
}

/** The policies in force (defaults where unset), as the products read them. */
export async function loadPolicies(ctx: Ctx): Promise<Policies> {
  authorize(ctx.actor, "policies.manage");
  return read(ctx.db);
}

/**
 * Saves what changed, one audit event per changed value (`sla.update` per leaver reason, `settings.update` per
 * setting, each with before and after). New leaver cases take the new SLAs (open cases keep the due time they were
 * given); thresholds and timeouts apply from the next read.
 */
export async function updatePolicies(ctx: Ctx, input: Policies) {
  authorize(ctx.actor, "policies.manage");
  return transact(ctx, async (tx) => {
    const before = await read(tx.db);
    const by = tx.actor.kind === "user" ? tx.actor.id : null;
    const changed: string[] = [];
    for (const reason of leaverReason.enumValues) {
      const was = before.sla[reason];
      const now = input.sla[reason];
      if (was.anchor === now.anchor && was.minutes === now.minutes) continue;
      await tx.db
        .insert(slaPolicies)
        .values({ reason, ...now, updatedById: by, updatedAt: tx.now })
        .onConflictDoUpdate({ target: slaPolicies.reason, set: { ...now, updatedById: by, updatedAt: tx.now } });
      await writeAudit(tx, {
        action: "sla.update",
        target: { type: "sla_policy", id: reason, label: `Leaver SLA (${reason.replace("_", " ")})` },
        before: was,
        after: now,
      });
      changed.push(`sla.${reason}`);
    }
    for (const name of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) {
      if (before[name] === input[name]) continue;
      const { key, label } = SETTINGS[name];
      await tx.db
        .insert(settings)
        .values({ key, value: input[name], updatedById: by, updatedAt: tx.now })
        .onConflictDoUpdate({ target: settings.key, set: { value: input[name], updatedById: by, updatedAt: tx.now } });
      await writeAudit(tx, {
        action: "settings.update",
        target: { type: "setting", id: key, label },
        before: { value: before[name] },
        after: { value: input[name] },
      });
      changed.push(key);
    }
    return { changed };
  });
}
