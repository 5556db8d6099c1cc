import { z } from "zod";
import type { Authentication } from "@/lib/authz";

/**
 * How and when a console user authenticated, as the session token stores it (JSON, so times are epoch seconds
 * like the id_token's `auth_time`). Recorded at sign-in; a step-up in the session adds `stepUpAt`. Endpoints that
 * need a stronger or more recent sign-in compare against it at the edge.
 */
const storedAuthentication = z.object({
  method: z.enum(["demo", "oidc", "passkey"]),
  acr: z.string().nullable(),
  amr: z.array(z.string()),
  authTime: z.number().int().nonnegative(),
  stepUpAt: z.number().int().nonnegative().optional(),
});
export type StoredAuthentication = z.infer<typeof storedAuthentication>;

/** The facts of a sign-in that just happened, from the Auth.js account (null for a provider we do not know). */
export function authenticationAtSignIn(
  account: { provider: string; id_token?: string },
  now: Date,
): StoredAuthentication | null {
  const signedInAt = Math.floor(now.getTime() / 1000);
  if (account.provider === "demo") return { method: "demo", acr: null, amr: [], authTime: signedInAt };
  // A user-verified passkey assertion (lib/auth/webauthn.ts): proof of possession of a key, and two factors.
  if (account.provider === "passkey")
    return { method: "passkey", acr: null, amr: ["pop", "mfa"], authTime: signedInAt };
  if (account.provider !== "oidc") return null;
  const claims = account.id_token ? idTokenClaims(account.id_token) : {};
  return {
    method: "oidc",
    acr: typeof claims.acr === "string" ? claims.acr : null,
    amr: Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === "string") : [],
    // auth_time is when the person last actually authenticated at the IdP, which can be well before this
    // sign-in (an IdP session reused silently); without it the sign-in moment is the best we know.
    authTime:
      typeof claims.auth_time === "number" && Number.isFinite(claims.auth_time) && claims.auth_time > 0
        ? Math.floor(claims.auth_time)
        : signedInAt,
  };
}

/** The session's facts with a passkey step-up verified at `at` (the sign-in facts stay as they were). */
export function withStepUp(stored: unknown, at: Date): StoredAuthentication | undefined {
  const parsed = storedAuthentication.safeParse(stored);
  return parsed.success ? { ...parsed.data, stepUpAt: Math.floor(at.getTime() / 1000) } : undefined;
}

/** What the session token holds, checked (tokens issued before this was recorded carry nothing). */
export function readAuthentication(stored: unknown): Authentication | undefined {
  const parsed = storedAuthentication.safeParse(stored);
  if (!parsed.success) return undefined;
  const { stepUpAt, ...facts } = parsed.data;
  const read = { ...facts, authTime: new Date(facts.authTime * 1000) };
  return stepUpAt === undefined ? read : { ...read, stepUpAt: new Date(stepUpAt * 1000) };
}

/**
 * The id_token's payload. It came straight from the IdP's token endpoint over TLS, which OIDC Core 3.1.3.7
 * lets stand in for the signature check, and Auth.js (oauth4webapi) has validated its issuer, audience,
 * expiry and nonce in this same callback before handing it to us: decoding is enough here.
 */
function idTokenClaims(idToken: string): Record<string, unknown> {
  try {
    const payload = JSON.parse(Buffer.from(idToken.split(".")[1] ?? "", "base64url").toString("utf8"));
    return payload && typeof payload === "object" ? payload : {};
  } catch {
    return {};
  }
}
