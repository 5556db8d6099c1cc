import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { z } from "zod";
import { notices } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import type { markReadInput } from "./schemas";

/**
 * Marks the caller's own notices read (the given ones, or all unread). Someone else's notice is never touched: the
 * WHERE clause names the caller. Audited, as a notice may be the NIST 800-63B-4 §4.2 notice of a recovery: when
 * its subject saw it is part of the record.
 */
export async function markNoticesRead(ctx: Ctx, input: z.output<typeof markReadInput>) {
  authorize(ctx.actor, "dashboard.view");
  const me = ctx.actor.id ?? -1;
  return transact(ctx, async (tx) => {
    const read = await tx.db
      .update(notices)
      .set({ readAt: tx.now })
      .where(
        and(
          eq(notices.identityId, me),
          isNull(notices.readAt),
          input.noticeIds ? inArray(notices.id, input.noticeIds) : undefined,
        ),
      )
      .returning({ id: notices.id, kind: notices.kind, targetType: notices.targetType, targetId: notices.targetId });
    if (read.length === 0) return { read: 0 };
    await writeAudit(tx, {
      action: "notice.read",
      target: { type: "identity", id: me, label: `Notices of ${tx.actor.name}` },
      after: {
        noticeIds: read.map((n) => n.id),
        about: read.map((n) => (n.targetType ? `${n.targetType}:${n.targetId}` : n.kind)),
      },
    });
    return { read: read.length };
  });
}
