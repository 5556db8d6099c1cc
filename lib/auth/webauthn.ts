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
 * (console passkeys are not restricted to a vendor). Verification failures become `Invalid` with a plain message;
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
 * Checks an assertion against the stored passkey and returns its new signature counter. The library refuses a
 * counter that did not grow (when either is non-zero): a cloned authenticator.
 */
export async function verifyAssertion(
  rp: RelyingParty,
  passkey: StoredPasskey & { identityId: number },
  response: AuthenticationResponseJSON,
  challenge: string,
): Promise<{ newCounter: number }> {
  const handle = response.response.userHandle;
  if (handle && handle !== Buffer.from(userHandle(passkey.identityId)).toString("base64url")) {
    throw new Invalid("That passkey does not belong to the account it was registered for.");
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
  }).catch(refused("The passkey was not accepted"));
  if (!result.verified) throw new Invalid("The passkey was not accepted: its signature did not verify.");
  return { newCounter: result.authenticationInfo.newCounter };
}

/** The library throws plain Errors for every mismatch; the reason is worth a log line, not the user's screen. */
function refused(what: string) {
  return (err: unknown): never => {
    console.warn(`[lockstep] webauthn: ${what.toLowerCase()}:`, err instanceof Error ? err.message : err);
    throw new Invalid(`${what}. Try again, or use another passkey.`);
  };
}
