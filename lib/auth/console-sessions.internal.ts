import "server-only";
import { and, eq, gte, inArray, isNull } from "drizzle-orm";
import { consoleSessions } from "@/db/schema";
import type { Ctx } from "@/lib/context";

export type SessionEndReason =
  | "sign_out"
  | "sign_out_everywhere"
  | "role_removed"
  | "leaver"
  | "idle"
  | "expired"
  | "recovery_disputed";

/**
 * Ends every live session of these people, in the caller's transaction (its audit event is the caller's: a role
 * removed, a leaver case, or signOutEverywhere in console-sessions.ts). Returns how many were live.
 */
export async function endSessionsOf(tx: Ctx, identityIds: number[], reason: SessionEndReason): Promise<number> {
  if (identityIds.length === 0) return 0;
  const ended = await tx.db
    .update(consoleSessions)
    .set({ endedAt: tx.now, endedReason: reason })
    .where(and(inArray(consoleSessions.identityId, identityIds), isNull(consoleSessions.endedAt)))
    .returning({ id: consoleSessions.id });
  return ended.length;
}

/**
 * Ends one person's live passkey sessions begun since a moment (a disputed recovery: whoever enrolled a passkey with
 * its pass may have signed in with it), in the caller's transaction. Returns how many were live.
 */
export async function endPasskeySessionsSince(
  tx: Ctx,
  identityId: number,
  since: Date,
  reason: SessionEndReason,
): Promise<number> {
  const ended = await tx.db
    .update(consoleSessions)
    .set({ endedAt: tx.now, endedReason: reason })
    .where(
      and(
        eq(consoleSessions.identityId, identityId),
        eq(consoleSessions.method, "passkey"),
        gte(consoleSessions.startedAt, since),
        isNull(consoleSessions.endedAt),
      ),
    )
    .returning({ id: consoleSessions.id });
  return ended.length;
}
