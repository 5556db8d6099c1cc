import "server-only";
import { inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { affectedRows, type Db } from "@/db/client";
import { settings } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { DEFAULT_LIFT_SETTINGS, LIFT_SETTINGS, type LiftSettings, VENDOR_METHODS } from "./vendor-mapping";

/**
 * The organisation settings that lift an ambiguous vendor method (vendor-mapping.ts), one `settings` row each
 * (a JSON boolean). Unset or unreadable means off: never a stronger reading by accident.
 */
export async function loadLiftSettings(db: Db): Promise<LiftSettings> {
  const names = Object.keys(LIFT_SETTINGS) as (keyof LiftSettings)[];
  const rows = await db
    .select({ key: settings.key, value: settings.value })
    .from(settings)
    .where(
      inArray(
        settings.key,
        names.map((n) => LIFT_SETTINGS[n].key),
      ),
    );
  const out = { ...DEFAULT_LIFT_SETTINGS };
  for (const n of names) out[n] = rows.find((r) => r.key === LIFT_SETTINGS[n].key)?.value === true;
  return out;
}

export const liftSettingsInput = z.object({
  oktaNumberChallenge: z.boolean(),
  oktaWebauthnDeviceBound: z.boolean(),
  oktaFastPassUserVerification: z.boolean(),
}) satisfies z.ZodType<LiftSettings>;

/**
 * Admins change what an ambiguous method counts as. Factors already imported for that method are re-mapped in
 * the same transaction (their posture follows by trigger), so the heatmaps say at once what the setting means;
 * one `settings.update` event per changed setting, with how many factors moved.
 */
export async function updateLiftSettings(ctx: Ctx, input: LiftSettings) {
  authorize(ctx.actor, "policies.manage");
  return transact(ctx, async (tx) => {
    const before = await loadLiftSettings(tx.db);
    const changed = (Object.keys(LIFT_SETTINGS) as (keyof LiftSettings)[]).filter((n) => before[n] !== input[n]);
    let remapped = 0;
    for (const name of changed) {
      const spec = LIFT_SETTINGS[name];
      await tx.db
        .insert(settings)
        .values({ key: spec.key, value: input[name], updatedById: tx.actor.id, updatedAt: tx.now })
        .onConflictDoUpdate({
          target: settings.key,
          set: { value: input[name], updatedById: tx.actor.id, updatedAt: tx.now },
        });
      let moved = 0;
      for (const v of VENDOR_METHODS.filter((x) => x.lift?.setting === name)) {
        const target = input[name] ? v.lift!.as : v.as!;
        moved += await affectedRows(
          tx.db,
          sql`
          UPDATE authenticators SET type = ${target.type}::authenticator_type, user_verification = ${target.userVerification ?? true}
           WHERE source = ${v.source} AND source_method = ${v.method} AND status = 'active'
             AND (type::text, user_verification) IS DISTINCT FROM (${target.type}, ${target.userVerification ?? true})`,
        );
      }
      remapped += moved;
      await writeAudit(tx, {
        action: "settings.update",
        target: { type: "setting", id: spec.key, label: spec.label },
        before: { value: before[name] },
        after: { value: input[name], factorsRemapped: moved },
      });
    }
    return { settings: input, changed: changed.length, remapped };
  });
}
