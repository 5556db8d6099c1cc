import "server-only";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { consolePasskeys } from "@/db/schema";
import { NotFound } from "@/lib/errors";
import { issueChallenge, takeChallenge } from "./challenges.internal";
import { relyingParty } from "./relying-party";
import type { finishAssertionInput } from "./schemas";
import { assertionOptions, verifyAssertion } from "./webauthn";

/**
 * Signing in with a passkey, before anyone is signed in (so no actor and no permission): options for a
 * discoverable-credential assertion, then the check of the browser's answer. The Auth.js "passkey" provider
 * (config.ts) calls these; it also requires the identity to be an active console user, like every provider.
 */
export async function beginPasskeySignIn(db: Db, now: Date) {
  const options = await assertionOptions(relyingParty(), []);
  const challengeId = await issueChallenge(db, {
    ceremony: "sign_in",
    challenge: options.challenge,
    identityId: null,
    now,
  });
  return { challengeId, options };
}

/**
 * The identity whose passkey answered, after the signature, challenge, origin and counter checks; else throws
 * NotFound (a passkey Lockstep does not know) or Invalid (any failed check).
 */
export async function verifyPasskeySignIn(
  db: Db,
  input: z.output<typeof finishAssertionInput>,
  now: Date,
): Promise<number> {
  const challenge = await takeChallenge(db, { id: input.challengeId, ceremony: "sign_in", identityId: null, now });
  const [passkey] = await db.select().from(consolePasskeys).where(eq(consolePasskeys.credentialId, input.response.id));
  // Removed from My passkeys (the authenticator still holds it), or never enrolled here.
  if (!passkey) throw new NotFound("That passkey");
  const { newCounter } = await verifyAssertion(relyingParty(), passkey, input.response, challenge);
  await db
    .update(consolePasskeys)
    .set({ counter: newCounter, lastUsedAt: now })
    .where(eq(consolePasskeys.id, passkey.id));
  return passkey.identityId;
}
