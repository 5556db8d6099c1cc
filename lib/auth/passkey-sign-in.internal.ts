import "server-only";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { consolePasskeys, identities } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { type ConsoleUser, loadConsoleUser } from "@/lib/people/console-users";
import { issueChallenge, takeChallenge } from "./challenges.internal";
import { relyingParty } from "./relying-party";
import type { finishAssertionInput } from "./schemas";
import { auditRefusedSignIn, type NamedPasskey } from "./sign-in-audit";
import { AssertionRefused, assertionOptions, verifyAssertion } from "./webauthn";

/**
 * Signing in with a passkey, before anyone is signed in (so no actor and no permission): options for a
 * discoverable-credential assertion, then the check of the browser's answer. The Auth.js "passkey" provider
 * (index.ts) calls these. Every refusal is audited here with its reason, and answered with the same words.
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

type Assertion = z.output<typeof finishAssertionInput>;

/**
 * The passkey that answered (and its owner), after the challenge, signature, user handle and counter checks; else
 * audits `auth.sign_in_denied` and throws AssertionRefused (one message, whichever check failed).
 */
export async function verifyPasskeySignIn(
  db: Db,
  input: Assertion,
  now: Date,
  request?: Ctx["request"],
): Promise<NamedPasskey> {
  // Read before the challenge is taken, so even a late answer records whose passkey was tried.
  const [passkey] = await db
    .select({
      id: consolePasskeys.id,
      identityId: consolePasskeys.identityId,
      ownerName: identities.displayName,
      credentialId: consolePasskeys.credentialId,
      publicKey: consolePasskeys.publicKey,
      counter: consolePasskeys.counter,
      transports: consolePasskeys.transports,
    })
    .from(consolePasskeys)
    .innerJoin(identities, eq(identities.id, consolePasskeys.identityId))
    .where(eq(consolePasskeys.credentialId, input.response.id));
  try {
    const challenge = await takeChallenge(db, {
      id: input.challengeId,
      ceremony: "sign_in",
      identityId: null,
      now,
    }).catch(() => {
      throw new AssertionRefused("challenge_expired");
    });
    // Removed from My passkeys (the authenticator still holds it), or never enrolled here.
    if (!passkey) throw new AssertionRefused("unknown_credential");
    const { newCounter } = await verifyAssertion(relyingParty(), passkey, input.response, challenge);
    await db
      .update(consolePasskeys)
      .set({ counter: newCounter, lastUsedAt: now })
      .where(eq(consolePasskeys.id, passkey.id));
    return { id: passkey.id, identityId: passkey.identityId, ownerName: passkey.ownerName };
  } catch (err) {
    if (err instanceof AssertionRefused) {
      await auditRefusedSignIn(db, {
        now,
        request,
        reason: err.reason,
        credentialId: input.response.id,
        passkey: passkey ?? null,
      });
    }
    throw err;
  }
}

/**
 * A passkey sign-in as the Auth.js provider needs it: a verified assertion whose owner is an active console user
 * (like every provider). A verified passkey of someone without a console role (a leaver, a removed role) is
 * refused and audited too.
 */
export async function passkeySignIn(
  db: Db,
  input: Assertion,
  now: Date,
  request?: Ctx["request"],
): Promise<ConsoleUser | null> {
  const passkey = await verifyPasskeySignIn(db, input, now, request);
  const user = await loadConsoleUser(db, passkey.identityId);
  if (user) return user;
  await auditRefusedSignIn(db, { now, request, reason: "not_console_user", credentialId: input.response.id, passkey });
  return null;
}
