import { WebAuthnError } from "@simplewebauthn/browser";

/** Words for what the browser's WebAuthn call threw: cancelled, timed out, or refused. */
export function ceremonyError(err: unknown): string {
  if (err instanceof WebAuthnError && err.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") {
    return "This authenticator already holds one of your passkeys.";
  }
  const name = err instanceof Error ? err.name : "";
  if (name === "NotAllowedError" || name === "AbortError") {
    return "The passkey prompt was cancelled or timed out.";
  }
  if (name === "SecurityError") return "This address cannot use passkeys (they need https, or localhost).";
  if (name === "NotSupportedError") return "This browser or device cannot use passkeys.";
  return "The passkey prompt failed. Try again.";
}
