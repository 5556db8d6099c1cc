import { z } from "zod";
import { id, text } from "@/lib/input";

/**
 * The browser's WebAuthn responses as @simplewebauthn/browser serialises them, checked before the library reads
 * them. Extension outputs are dropped: Lockstep asks for none.
 */
const b64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, "Not base64url.");
/** Challenge ids are 32 random bytes, base64url. */
const challengeId = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "Not a challenge id.");

const credential = {
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal("public-key"),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
};

const registrationResponse = z
  .object({
    ...credential,
    response: z.object({
      clientDataJSON: b64url(8192),
      attestationObject: b64url(65536),
      authenticatorData: b64url(65536).optional(),
      transports: z.array(z.string().max(32)).max(10).optional(),
      publicKeyAlgorithm: z.number().int().optional(),
      publicKey: b64url(8192).optional(),
    }),
  })
  .transform((r) => ({ ...r, clientExtensionResults: {} }));

const assertionResponse = z
  .object({
    ...credential,
    response: z.object({
      clientDataJSON: b64url(8192),
      authenticatorData: b64url(65536),
      signature: b64url(1024),
      userHandle: b64url(128).optional(),
    }),
  })
  .transform((r) => ({ ...r, clientExtensionResults: {} }));

const passkeyName = text(60).pipe(z.string().min(1, "Give the passkey a name."));

export const emptyInput = z.object({});
export const finishRegistrationInput = z.object({
  challengeId,
  response: registrationResponse,
  name: text(60).optional(),
});
export const renamePasskeyInput = z.object({ passkeyId: id, name: passkeyName });
export const removePasskeyInput = z.object({ passkeyId: id });
export const finishAssertionInput = z.object({ challengeId, response: assertionResponse });

/** Break-glass recovery: the one-time enrolment pass a locked-out console user was handed. */
const passSecret = z.string().trim().min(10, "Enter the pass you were given.").max(100);
export const beginPassEnrolmentInput = z.object({ pass: passSecret });
export const finishPassEnrolmentInput = finishRegistrationInput.extend({ pass: passSecret });
