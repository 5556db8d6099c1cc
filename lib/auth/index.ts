import "server-only";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { findConsoleUserByEmail, loadConsoleUser } from "@/lib/people/console-users";
import { authenticationAtSignIn, type StoredAuthentication } from "./authentication";
import { demoSignInEnabled, oidcSettings } from "./config";
import { authSecret } from "./secret";
import { auditAuthEvent } from "./sign-in-audit";

declare module "next-auth" {
  interface Session {
    identityId?: number;
    /** How and when this person signed in (read back through readAuthentication in currentActor). */
    auth?: StoredAuthentication;
  }
}

const personaInput = z.object({ identityId: z.coerce.number().int().positive() });

function providers(): NextAuthConfig["providers"] {
  const list: NextAuthConfig["providers"] = [];
  if (demoSignInEnabled()) {
    list.push(
      Credentials({
        id: "demo",
        name: "Demo persona",
        credentials: { identityId: {} },
        async authorize(raw) {
          // Re-checked here, not only when the provider list is built: the switch may flip at run time.
          if (!demoSignInEnabled()) return null;
          const parsed = personaInput.safeParse(raw);
          if (!parsed.success) return null;
          const user = await loadConsoleUser(await getDb(), parsed.data.identityId);
          return user ? { id: String(user.id), name: user.name, email: user.email } : null;
        },
      }),
    );
  }
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

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
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
      const id = "token" in message ? Number(message.token?.identityId) : NaN;
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
    async jwt({ token, user, account, profile }) {
      if (account?.provider === "oidc" && typeof profile?.email === "string") {
        const found = await findConsoleUserByEmail(await getDb(), profile.email);
        if (found) token.identityId = found.id;
      } else if (account && user?.id) {
        token.identityId = Number(user.id);
      }
      // `account` is present only on the sign-in itself: the facts are recorded once and never refreshed.
      if (account) token.auth = authenticationAtSignIn(account, new Date()) ?? undefined;
      return token;
    },
    session({ session, token }) {
      if (typeof token.identityId === "number") session.identityId = token.identityId;
      if (token.auth) session.auth = token.auth as StoredAuthentication;
      return session;
    },
  },
}));
