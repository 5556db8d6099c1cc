import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requestFacts } from "@/lib/edge/core";
import { consumeRateLimit } from "@/lib/edge/rate-limit";
import { Invalid, TooManyRequests } from "@/lib/errors";
import { idField } from "@/lib/input";
import { demoPersona, findConsoleUserByEmail, loadConsoleUser } from "@/lib/people/console-users";
import { authenticationAtSignIn, type StoredAuthentication, withStepUp } from "./authentication";
import { redeemStepUpGrant } from "./challenges.internal";
import { demoSignInEnabled, oidcSettings } from "./config";
import { endConsoleSession, startConsoleSession } from "./console-sessions";
import { beginPasskeySignIn, passkeySignIn } from "./passkey-sign-in.internal";
import { finishAssertionInput } from "./schemas";
import { authSecret } from "./secret";
import { auditAuthEvent } from "./sign-in-audit";

declare module "next-auth" {
  interface Session {
    identityId?: number;
    /** How and when this person signed in (read back through readAuthentication in currentActor). */
    auth?: StoredAuthentication;
    /** Sent only to the server, by recordStepUp: a verified step-up's one-time grant for the session to redeem. */
    stepUpGrant?: string;
    /** The server-side console session this cookie belongs to (console-sessions.ts): checked on every request. */
    sid?: string;
  }
}

const personaInput = z.object({ identityId: idField });
/** The passkey provider's fields arrive as form strings: the browser's answer is JSON inside one. */
const passkeyCredentials = z.object({
  challengeId: z.string(),
  response: z.string().transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "Not JSON." });
      return z.NEVER;
    }
  }),
});
const stepUpUpdate = z.object({ stepUpGrant: z.string().min(1) });

/**
 * Why a passkey sign-in was refused, as a short code the sign-in page turns into words. One code for every failed
 * check (unknown passkey, signature, counter, expired challenge): which one failed is in the audit log only.
 */
class PasskeyRefused extends CredentialsSignin {
  constructor(readonly code: "passkey_refused" | "passkey_not_console_user" | "rate_limited") {
    super();
  }
}

class SignInThrottled extends CredentialsSignin {
  code = "rate_limited";
}

/** Sign-in attempts count per client address (lib/edge/rate-limit.ts); beyond the limit the attempt is refused. */
async function throttleSignIn(request: Request): Promise<void> {
  try {
    await consumeRateLimit("sign_in", `address:${requestFacts(request.headers)?.ip ?? "unknown"}`);
  } catch (err) {
    if (err instanceof TooManyRequests) throw new SignInThrottled();
    throw err;
  }
}

/**
 * Signs in with a passkey: the assertion is checked and every refusal audited
 * (lib/auth/passkey-sign-in.internal.ts), then, like every provider, the identity must be an active console user.
 */
async function authorizePasskey(raw: unknown, request: Request) {
  await throttleSignIn(request);
  const parsed = passkeyCredentials.safeParse(raw);
  const input = parsed.success ? finishAssertionInput.safeParse(parsed.data) : null;
  if (!input?.success) throw new PasskeyRefused("passkey_refused");
  let user: Awaited<ReturnType<typeof passkeySignIn>>;
  try {
    user = await passkeySignIn(await getDb(), input.data, new Date(), requestFacts(request.headers));
  } catch (err) {
    if (err instanceof Invalid) throw new PasskeyRefused("passkey_refused");
    throw err;
  }
  if (!user) throw new PasskeyRefused("passkey_not_console_user");
  return { id: String(user.id), name: user.name, email: user.email };
}

function providers(): NextAuthConfig["providers"] {
  const list: NextAuthConfig["providers"] = [];
  if (demoSignInEnabled()) {
    list.push(
      Credentials({
        id: "demo",
        name: "Demo persona",
        credentials: { identityId: {} },
        async authorize(raw, request) {
          await throttleSignIn(request);
          // Re-checked here, not only when the provider list is built: the switch may flip at run time.
          if (!demoSignInEnabled()) return null;
          const parsed = personaInput.safeParse(raw);
          if (!parsed.success) return null;
          const user = await demoPersona(await getDb(), parsed.data.identityId);
          return user ? { id: String(user.id), name: user.name, email: user.email } : null;
        },
      }),
    );
  }
  list.push(
    Credentials({
      id: "passkey",
      name: "Passkey",
      credentials: { challengeId: {}, response: {} },
      authorize: authorizePasskey,
    }),
  );
  const oidc = oidcSettings();
  if (oidc) {
    list.push({
      id: "oidc",
      name: oidc.name,
      type: "oidc",
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: "openid email profile" } },
      // Read email/email_verified from the userinfo endpoint: a conformant IdP returns scope-requested claims
      // there, not necessarily in the ID token (OIDC Core 5.4). The ID token is still required and checked.
      idToken: false,
    });
  }
  return list;
}

const nextAuth = NextAuth(() => ({
  providers: providers(),
  secret: authSecret(),
  trustHost: true,
  // AAL2 reauthentication: at most 12 h per session (NIST 800-63B-4 allows 24 h; we stay inside it).
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  events: {
    async signIn({ user: signedIn, account }) {
      const db = await getDb();
      const user =
        account?.provider === "oidc"
          ? signedIn.email
            ? await findConsoleUserByEmail(db, signedIn.email)
            : null
          : await loadConsoleUser(db, Number(signedIn.id));
      if (user) await auditAuthEvent(user, "auth.sign_in", account?.provider ?? null);
    },
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      const id = Number(token?.identityId);
      if (typeof token?.sid === "string") await endConsoleSession(await getDb(), token.sid, new Date());
      const user = id ? await loadConsoleUser(await getDb(), id) : null;
      if (user) await auditAuthEvent(user, "auth.sign_out", null);
    },
  },
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== "oidc") return true;
      // The IdP's email maps to an identity; console roles come from our own table, never from the IdP.
      const email = typeof profile?.email === "string" ? profile.email : null;
      if (!email || profile?.email_verified === false) return "/sign-in?error=NoVerifiedEmail";
      const user = await findConsoleUserByEmail(await getDb(), email);
      return user ? true : "/sign-in?error=NotAConsoleUser";
    },
    async jwt({ token, user, account, profile, trigger, session }) {
      if (account?.provider === "oidc" && typeof profile?.email === "string") {
        const found = await findConsoleUserByEmail(await getDb(), profile.email);
        if (found) token.identityId = found.id;
      } else if (account && user?.id) {
        token.identityId = Number(user.id);
      }
      // `account` is present only on the sign-in itself: the facts are recorded once and never refreshed, and the
      // server-side session the cookie will name starts.
      if (account) {
        token.auth = authenticationAtSignIn(account, new Date()) ?? undefined;
        if (typeof token.identityId === "number")
          token.sid = await startConsoleSession(await getDb(), {
            identityId: token.identityId,
            method: account.provider,
            now: new Date(),
            request: await signInRequest(),
          });
      }
      // A session update carries a step-up only as a grant this person's verified ceremony left in the database
      // (a browser can post any update to /api/auth/session; without a live grant it changes nothing).
      const grant = trigger === "update" ? stepUpUpdate.safeParse(session) : null;
      if (grant?.success && typeof token.identityId === "number") {
        const at = await redeemStepUpGrant(await getDb(), {
          grantId: grant.data.stepUpGrant,
          identityId: token.identityId,
          now: new Date(),
        });
        if (at) token.auth = withStepUp(token.auth, at) ?? token.auth;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.identityId === "number") session.identityId = token.identityId;
      if (token.auth) session.auth = token.auth as StoredAuthentication;
      if (typeof token.sid === "string") session.sid = token.sid;
      return session;
    },
  },
}));

export const { handlers, auth, signIn, signOut } = nextAuth;

/** The sign-in request's address and browser, for the session record (none when called outside a request). */
async function signInRequest() {
  try {
    const { headers } = await import("next/headers");
    return requestFacts(await headers());
  } catch {
    return undefined;
  }
}

/**
 * After a verified step-up (passkeys.ts finishStepUp): the session redeems the grant and from then on carries the
 * step-up time, which meetsAssurance accepts as a passkey authentication at that time. For server actions.
 */
export async function recordStepUp(grantId: string): Promise<void> {
  await nextAuth.unstable_update({ stepUpGrant: grantId });
}

/** Options for the sign-in page's passkey button: a discoverable-credential assertion, nobody known yet. */
export async function passkeySignInOptions() {
  return beginPasskeySignIn(await getDb(), new Date());
}
