import "server-only";
import { notices } from "@/db/schema";
import type { Ctx } from "@/lib/context";

export type Notice = {
  identityId: number;
  kind: string;
  title: string;
  body: string;
  href?: string;
  target?: { type: string; id: number };
};

/**
 * Writes in-app notices in the caller's transaction (unguarded: the caller authorized and audits the change that
 * the notice reports). Email and chat copies go out from the outbox event of that same change.
 */
export async function notify(tx: Ctx, list: readonly Notice[]): Promise<void> {
  if (list.length === 0) return;
  await tx.db.insert(notices).values(
    list.map((n) => ({
      identityId: n.identityId,
      kind: n.kind,
      title: n.title,
      body: n.body,
      href: n.href ?? null,
      targetType: n.target?.type ?? null,
      targetId: n.target?.id ?? null,
      createdAt: tx.now,
    })),
  );
}
