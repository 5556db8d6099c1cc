import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { consoleSessions, settings } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { endSessionsOf, type SessionEndReason } from "./console-sessions.internal";

/**
 * Console sessions held on the server (hardening: "sign-out does not end the session"). The cookie's signed token
 * carries only the session's id; `checkConsoleSession` runs on every request (lib/session.ts currentActor), so
 * sign-out, "sign out everywhere", a removed console role and offboarding end a session at once wherever its
 * cookie was copied, and the idle and absolute timeouts (settings, NIST 800-63B-4 §2.2.3: AAL2 reauthentication
 * at least every 24 h, after at most 1 h idle) hold whatever the cookie says.
 */
const SESSION_DEFAULTS = { idleMinutes: 60, absoluteHours: 12 } as const;

/** The idle timeout and absolute lifetime, from settings (admins edit them; bad values fall back to the defaults). */
export async function loadSessionPolicy(db: Db) {
  const rows = await db
    .select({ key: settings.key, value: settings.value })
    .from(settings)
    .where(inArray(settings.key, ["session_idle_minutes", "session_absolute_hours"]));
  const value = (key: string, fallback: number, max: number) => {
    const n = Number(rows.find((r) => r.key === key)?.value);
    return Number.isInteger(n) && n > 0 && n <= max ? n : fallback;
  };
  return {
    idleMinutes: value("session_idle_minutes", SESSION_DEFAULTS.idleMinutes, 24 * 60),
    absoluteHours: value("session_absolute_hours", SESSION_DEFAULTS.absoluteHours, 24),
  };
}

/** A new session at sign-in; its id goes into the session token. */
export async function startConsoleSession(
  db: Db,
  input: { identityId: number; method: string; now: Date; request?: Ctx["request"] },
): Promise<string> {
  const policy = await loadSessionPolicy(db);
  const id = randomBytes(32).toString("base64url");
  await db.insert(consoleSessions).values({
    id,
    identityId: input.identityId,
    method: input.method,
    startedAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + policy.absoluteHours * 3_600_000),
    ipAddress: input.request?.ip ?? null,
    userAgent: input.request?.userAgent?.slice(0, 300) ?? null,
  });
  return id;
}

/** How often a live session's last activity is written: not on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Whether the session may still act for `identityId`, in one round trip: live, the same person, inside both
 * timeouts. A session found idle or expired is ended here (so it shows ended, with why); a live one has its last
 * activity moved on (at most once a minute).
 */
export async function checkConsoleSession(db: Db, sid: string, identityId: number, now: Date): Promise<boolean> {
  const policy = await loadSessionPolicy(db);
  const idleSince = new Date(now.getTime() - policy.idleMinutes * 60_000);
  const [row] = await db
    .select({
      lastSeenAt: consoleSessions.lastSeenAt,
      expiresAt: consoleSessions.expiresAt,
      endedAt: consoleSessions.endedAt,
    })
    .from(consoleSessions)
    .where(and(eq(consoleSessions.id, sid), eq(consoleSessions.identityId, identityId)));
  if (!row || row.endedAt) return false;
  const ended: SessionEndReason | null = row.expiresAt <= now ? "expired" : row.lastSeenAt <= idleSince ? "idle" : null;
  if (ended) {
    await db
      .update(consoleSessions)
      .set({ endedAt: now, endedReason: ended })
      .where(and(eq(consoleSessions.id, sid), isNull(consoleSessions.endedAt)));
    return false;
  }
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS)
    await db.update(consoleSessions).set({ lastSeenAt: now }).where(eq(consoleSessions.id, sid));
  return true;
}

/** Sign-out: this session only. */
export async function endConsoleSession(db: Db, sid: string, now: Date): Promise<void> {
  await db
    .update(consoleSessions)
    .set({ endedAt: now, endedReason: "sign_out" })
    .where(and(eq(consoleSessions.id, sid), isNull(consoleSessions.endedAt)));
}

/** "Sign out everywhere": the signed-in person ends all their console sessions, this one included. Audited. */
export async function signOutEverywhere(ctx: Ctx): Promise<{ ended: number }> {
  authorize(ctx.actor, "passkeys.manage");
  const me = ctx.actor.id ?? 0;
  return transact(ctx, async (tx) => {
    const ended = await endSessionsOf(tx, [me], "sign_out_everywhere");
    await writeAudit(tx, {
      action: "auth.sessions_end",
      target: { type: "identity", id: me, label: tx.actor.name },
      metadata: { ended, reason: "sign_out_everywhere" },
    });
    return { ended };
  });
}

/** The signed-in person's live sessions (My account), newest first. */
export async function mySessions(ctx: Ctx) {
  authorize(ctx.actor, "passkeys.manage");
  return ctx.db
    .select({
      id: consoleSessions.id,
      method: consoleSessions.method,
      startedAt: consoleSessions.startedAt,
      lastSeenAt: consoleSessions.lastSeenAt,
      expiresAt: consoleSessions.expiresAt,
      ipAddress: consoleSessions.ipAddress,
      userAgent: consoleSessions.userAgent,
    })
    .from(consoleSessions)
    .where(
      and(
        eq(consoleSessions.identityId, ctx.actor.id ?? 0),
        isNull(consoleSessions.endedAt),
        sql`${consoleSessions.expiresAt} > ${ctx.now.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(sql`${consoleSessions.startedAt} DESC`)
    .limit(50);
}
