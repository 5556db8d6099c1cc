import { createHash } from "node:crypto";
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { Invalid } from "@/lib/errors";
import type { RelyingParty } from "./relying-party";

/**
 * The WebAuthn ceremonies as Lockstep runs them, over @simplewebauthn/server: discoverable passkeys with user
 * verification required (so one assertion is two factors: the device and its PIN or biometric), no attestation
 * (console passkeys are not restricted to a vendor). Verification failures become `Invalid` (for assertions,
 * `AssertionRefused`, which also carries the reason for the audit log) with a plain message;
 * the library's own text, which can name internal details, is not shown. The library draws each challenge (32
 * random bytes); the caller keeps `options.challenge` server-side and expects it back.
 */
export type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON };

/** How long the browser offers a ceremony; challenges live a little longer (lib/auth/challenges.internal.ts). */
export const CEREMONY_TIMEOUT_MS = 120_000;

/** What the relying party keeps of a credential to check its assertions. */
export type StoredPasskey = { credentialId: string; publicKey: string; counter: number; transports: string[] };

/**
 * The WebAuthn user handle of an identity: stable (an authenticator keeps one passkey per account and relying
 * party) and opaque (it is stored on the authenticator and returned at sign-in, so no name or email in it).
 */
export function userHandle(identityId: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash("sha256").update(`lockstep-console-user:${identityId}`).digest());
}

export function registrationOptions(
  rp: RelyingParty,
  user: { id: number; name: string; email: string | null },
  existing: readonly StoredPasskey[],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: userHandle(user.id),
    userName: user.email ?? user.name,
    userDisplayName: user.name,
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: "none",
    // The same authenticator twice is refused by the browser itself.
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
}

export async function verifyRegistration(rp: RelyingParty, response: RegistrationResponseJSON, challenge: string) {
  const result = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
  }).catch(refused("The passkey could not be registered"));
  if (!result.verified) throw new Invalid("The passkey could not be registered: the browser's answer did not verify.");
  const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
  return {
    credentialId: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString("base64url"),
    counter: credential.counter,
    transports: credential.transports ?? response.response.transports ?? [],
    multiDevice: credentialDeviceType === "multiDevice",
    backedUp: credentialBackedUp,
  };
}

/** For a sign-in nobody is known yet, so the browser offers any of this site's passkeys (`allow` empty). */
export function assertionOptions(
  rp: RelyingParty,
  allow: readonly StoredPasskey[],
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    timeout: CEREMONY_TIMEOUT_MS,
    userVerification: "required",
    allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: p.transports })),
  });
}

/**
 * Why an assertion (sign-in or step-up) was refused, for the audit log only:
 * - `challenge_expired`: the challenge is unknown, used, expired, or was issued to someone else;
 * - `unknown_credential`: a passkey Lockstep does not hold (removed from My passkeys, never enrolled, or, for a
 *   step-up, not one of the signed-in person's);
 * - `wrong_account`: the authenticator's user handle names another account than the passkey's owner;
 * - `counter_regression`: the signature counter did not grow (a cloned authenticator, WebAuthn §6.1.1);
 * - `bad_signature`: the signature does not verify with the stored public key;
 * - `mismatch`: any other check of the response (origin, relying-party id, user verification, challenge).
 */
export type AssertionRefusal =
  | "challenge_expired"
  | "unknown_credential"
  | "wrong_account"
  | "counter_regression"
  | "bad_signature"
  | "mismatch";

/**
 * A refused assertion. The person sees the same words whatever failed, so a caller learns nothing about which
 * check it tripped (whether a credential id is known here, whether its counter moved); the reason goes to the
 * audit log (lib/auth/sign-in-audit.ts).
 */
export class AssertionRefused extends Invalid {
  constructor(readonly reason: AssertionRefusal) {
    super("The passkey was not accepted. Try again, or use another passkey.");
  }
}

/**
 * Checks an assertion against the stored passkey and returns its new signature counter. The library refuses a
 * counter that did not grow (when either is non-zero): a cloned authenticator. Throws AssertionRefused.
 */
export async function verifyAssertion(
  rp: RelyingParty,
  passkey: StoredPasskey & { identityId: number },
  response: AuthenticationResponseJSON,
  challenge: string,
): Promise<{ newCounter: number }> {
  const handle = response.response.userHandle;
  if (handle && handle !== Buffer.from(userHandle(passkey.identityId)).toString("base64url")) {
    throw new AssertionRefused("wrong_account");
  }
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    credential: {
      id: passkey.credentialId,
      publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
      counter: passkey.counter,
      transports: passkey.transports,
    },
    requireUserVerification: true,
  }).catch((err: unknown): never => {
    const message = err instanceof Error ? err.message : String(err);
    console.warn("[lockstep] webauthn: the passkey was not accepted:", message);
    // The library's words for the counter check (verifyAuthenticationResponse: "Response counter value …").
    throw new AssertionRefused(/\bcounter\b/i.test(message) ? "counter_regression" : "mismatch");
  });
  if (!result.verified) throw new AssertionRefused("bad_signature");
  return { newCounter: result.authenticationInfo.newCounter };
}

/** The library throws plain Errors for every mismatch; the reason is worth a log line, not the user's screen. */
function refused(what: string) {
  return (err: unknown): never => {
    console.warn(`[lockstep] webauthn: ${what.toLowerCase()}:`, err instanceof Error ? err.message : err);
    throw new Invalid(`${what}. Try again, or use another passkey.`);
  };
}
