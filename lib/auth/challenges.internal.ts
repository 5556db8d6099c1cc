import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, gt, isNotNull, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webauthnChallenges } from "@/db/schema";
import { Invalid } from "@/lib/errors";
import { CEREMONY_TIMEOUT_MS } from "./webauthn";

/**
 * WebAuthn challenges, kept server-side: each is used once and only until it expires. Unguarded on purpose (a
 * sign-in has no actor yet); the services in passkeys.ts authorize before they call these. A challenge is one
 * ceremony's working state: what the ceremony changes is audited when it completes, not here.
 */
type Ceremony = (typeof webauthnChallenges.$inferSelect)["ceremony"];

/** The ceremony's timeout plus slack for the round trips around it. */
const CHALLENGE_TTL_MS = CEREMONY_TIMEOUT_MS + 60_000;
/** A verified step-up must be redeemed by its session at once (the same server action does it). */
const GRANT_TTL_MS = 60_000;

const newId = () => randomBytes(32).toString("base64url");

/** Stores the challenge the options carry; returns the id the browser's answer must name. */
export async function issueChallenge(
  db: Db,
  input: { ceremony: Ceremony; challenge: string; identityId: number | null; now: Date },
): Promise<string> {
  // Expired challenges go as new ones come: the table holds only ceremonies in flight.
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, input.now));
  const id = newId();
  await db.insert(webauthnChallenges).values({
    id,
    ceremony: input.ceremony,
    challenge: input.challenge,
    identityId: input.identityId,
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + CHALLENGE_TTL_MS),
  });
  return id;
}

/**
 * Takes a challenge for verification: deleted in the same statement, so a second answer naming it finds nothing
 * (whether or not the first verified). It must be for this ceremony, this person (sign-ins have none) and unexpired.
 * Call it outside the transaction that records the outcome, so a failed verification still uses it up.
 */
export async function takeChallenge(
  db: Db,
  input: { id: string; ceremony: Ceremony; identityId: number | null; now: Date },
): Promise<string> {
  const [row] = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.id, input.id),
        eq(webauthnChallenges.ceremony, input.ceremony),
        input.identityId === null
          ? isNull(webauthnChallenges.identityId)
          : eq(webauthnChallenges.identityId, input.identityId),
        isNull(webauthnChallenges.verifiedAt),
        gt(webauthnChallenges.expiresAt, input.now),
      ),
    )
    .returning({ challenge: webauthnChallenges.challenge });
  if (!row) throw new Invalid("This passkey request has expired or was already used. Start again.");
  return row.challenge;
}

/** After a verified step-up: a one-time grant the person's own session redeems (redeemStepUpGrant). */
export async function grantStepUp(
  db: Db,
  input: { identityId: number; challenge: string; now: Date },
): Promise<string> {
  const id = newId();
  await db.insert(webauthnChallenges).values({
    id,
    ceremony: "step_up",
    challenge: input.challenge,
    identityId: input.identityId,
    createdAt: input.now,
    verifiedAt: input.now,
    expiresAt: new Date(input.now.getTime() + GRANT_TTL_MS),
  });
  return id;
}

/**
 * Redeems a step-up grant for the session of `identityId`: once, unexpired, and only a verified one. Returns when
 * the step-up was verified, or null. The session token learns of a step-up only through this.
 */
export async function redeemStepUpGrant(
  db: Db,
  input: { grantId: string; identityId: number; now: Date },
): Promise<Date | null> {
  const [row] = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.id, input.grantId),
        eq(webauthnChallenges.ceremony, "step_up"),
        eq(webauthnChallenges.identityId, input.identityId),
        isNotNull(webauthnChallenges.verifiedAt),
        gt(webauthnChallenges.expiresAt, input.now),
      ),
    )
    .returning({ verifiedAt: webauthnChallenges.verifiedAt });
  return row?.verifiedAt ?? null;
}
