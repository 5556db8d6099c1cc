"use server";

import { redirect } from "next/navigation";
import { AuthError, CredentialsSignin } from "next-auth";
import { z } from "zod";
import { passkeySignInOptions, signIn, signOut } from "@/lib/auth";
import { idField } from "@/lib/input";

// Public by design: signing in and out are the only actions that run without a console session.
// Each validates its input; the provider re-checks everything (persona eligibility, demo switch).

const personaInput = z.object({ identityId: idField });

/** A form's fields; anything else posted to the action (JSON `null`, a string) has none, rather than failing. */
const field = (formData: unknown, name: string) => (formData instanceof FormData ? formData.get(name) : null);

export async function signInAsPersona(formData: FormData): Promise<void> {
  const parsed = personaInput.safeParse({ identityId: field(formData, "identityId") });
  if (!parsed.success) redirect("/sign-in?error=InvalidPersona");
  try {
    await signIn("demo", { identityId: String(parsed.data.identityId), redirectTo: "/" });
  } catch (err) {
    if (err instanceof CredentialsSignin && err.code === "rate_limited") redirect("/sign-in?error=RateLimited");
    if (err instanceof AuthError) redirect("/sign-in?error=CredentialsSignin");
    throw err;
  }
}

const callbackInput = z
  .string()
  .max(300)
  .regex(/^\/(?!\/)/)
  .optional()
  .catch(undefined);

export async function signInWithOidc(formData: FormData): Promise<void> {
  const redirectTo = callbackInput.parse(field(formData, "callbackUrl") ?? undefined) ?? "/";
  await signIn("oidc", { redirectTo });
}

/** Starts a passkey sign-in: a single-use challenge (kept server-side) in options for the browser. */
export async function beginPasskeySignInAction() {
  return passkeySignInOptions();
}

const passkeySignInInput = z.object({
  challengeId: z.string().max(100),
  // Checked field by field by the provider (lib/auth/schemas.ts); here only its size is bounded.
  response: z.unknown().refine((v) => JSON.stringify(v ?? null).length <= 200_000, "Too large."),
  callbackUrl: callbackInput,
});

/**
 * One answer for every failed check of the assertion (an unknown passkey, a bad signature, a counter that did not
 * grow, an expired request), so the page tells nobody which it was; the audit log records the reason. Only a
 * verified passkey whose owner has no console role gets its own words: its owner proved the passkey is theirs.
 */
const PASSKEY_REFUSED =
  "That passkey was not accepted: the request may have expired, or Lockstep does not know that passkey (it may have been removed). Try again, or sign in another way.";
const PASSKEY_ERRORS: Record<string, string> = {
  passkey_not_console_user: "That passkey's owner has no Lockstep console role (or is no longer active).",
  rate_limited: "Too many sign-in attempts from this address. Wait a minute and try again.",
};

/**
 * Finishes a passkey sign-in: the "passkey" provider verifies the assertion and creates the session (method
 * passkey, authenticated now), then this redirects. A refusal comes back as words for the sign-in page.
 */
export async function signInWithPasskey(raw: unknown): Promise<{ error: string }> {
  const parsed = passkeySignInInput.safeParse(raw);
  if (!parsed.success) return { error: "The passkey answer was malformed. Try again." };
  const { challengeId, response, callbackUrl } = parsed.data;
  try {
    await signIn("passkey", { challengeId, response: JSON.stringify(response), redirectTo: callbackUrl ?? "/" });
  } catch (err) {
    if (err instanceof AuthError) {
      const code = err instanceof CredentialsSignin ? err.code : "";
      return { error: PASSKEY_ERRORS[code] ?? PASSKEY_REFUSED };
    }
    throw err;
  }
  return { error: "Sign-in did not complete. Try again." };
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
