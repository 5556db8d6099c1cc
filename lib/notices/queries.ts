import "server-only";
import { and, count, desc, eq, isNull } from "drizzle-orm";
import { notices } from "@/db/schema";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";

/**
 * The caller's own in-app notices, newest first, and how many are unread. Every console role holds
 * dashboard.view; the WHERE clause keeps each person to their own notices.
 */
export async function myNotices(ctx: Ctx, opts: { limit?: number } = {}) {
  authorize(ctx.actor, "dashboard.view");
  const me = ctx.actor.id ?? -1;
  const [items, [unread]] = await Promise.all([
    ctx.db
      .select({
        id: notices.id,
        kind: notices.kind,
        title: notices.title,
        body: notices.body,
        href: notices.href,
        createdAt: notices.createdAt,
        readAt: notices.readAt,
      })
      .from(notices)
      .where(eq(notices.identityId, me))
      .orderBy(desc(notices.id))
      .limit(opts.limit ?? 20),
    ctx.db
      .select({ n: count() })
      .from(notices)
      .where(and(eq(notices.identityId, me), isNull(notices.readAt))),
  ]);
  return { items, unread: unread?.n ?? 0 };
}
