import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { settings } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { type BreakGlassPolicy, breakGlassPolicy, DEFAULT_BREAK_GLASS_POLICY } from "./rules";

/** Settings key of the approval policy (one JSON value). */
const KEY = "break_glass_policy";

/** The admins' break-glass policy, or the defaults when unset (or unreadable: never a weaker policy by accident). */
export async function loadBreakGlassPolicy(db: Db): Promise<BreakGlassPolicy> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, KEY));
  const parsed = breakGlassPolicy.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_BREAK_GLASS_POLICY;
}

/** Admins change the approval policy; audited with before and after. */
export async function updateBreakGlassPolicy(ctx: Ctx, input: BreakGlassPolicy) {
  authorize(ctx.actor, "policies.manage");
  return transact(ctx, async (tx) => {
    const before = await loadBreakGlassPolicy(tx.db);
    await tx.db
      .insert(settings)
      .values({ key: KEY, value: input, updatedById: tx.actor.id, updatedAt: tx.now })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: input, updatedById: tx.actor.id, updatedAt: tx.now },
      });
    await writeAudit(tx, {
      action: "settings.update",
      target: { type: "setting", id: KEY, label: "Break-glass approval policy" },
      before,
      after: input,
    });
    return input;
  });
}
