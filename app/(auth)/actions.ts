"use server";

import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth";

// Public by design: signing in and out are the only actions that run without a console session.
// Each validates its input; the provider re-checks everything (persona eligibility, demo switch).

const personaInput = z.object({ identityId: z.coerce.number().int().positive() });

export async function signInAsPersona(formData: FormData): Promise<void> {
  const parsed = personaInput.safeParse({ identityId: formData.get("identityId") });
  if (!parsed.success) redirect("/sign-in?error=InvalidPersona");
  try {
    await signIn("demo", { identityId: String(parsed.data.identityId), redirectTo: "/" });
  } catch (err) {
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
  const redirectTo = callbackInput.parse(formData.get("callbackUrl") ?? undefined) ?? "/";
  await signIn("oidc", { redirectTo });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
