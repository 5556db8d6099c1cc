/**
 * Sign-in settings read from the environment (README: Configuration). The start script, `next start` and every
 * CLI read the same variables: scripts load `.env*` files with Next's own loader (lib/env-files.ts) before anything
 * looks at them, so a `DATABASE_URL` in `.env.local` is seen by all of them alike.
 */
export type DemoMode = { enabled: boolean; refused: string | null };

/**
 * Demo sign-in (one click per listed persona, no password) is for the embedded demo database. Asked for while
 * `DATABASE_URL` points at PostgreSQL, it stays off unless `LOCKSTEP_DEMO_THROWAWAY_DB=1` says that database is a
 * throwaway (CI, a local try-out): a real deployment must never sign its admin in without a credential.
 */
export function demoMode(env: Record<string, string | undefined> = process.env): DemoMode {
  if (env.LOCKSTEP_DEMO !== "1") return { enabled: false, refused: null };
  if (env.DATABASE_URL && env.LOCKSTEP_DEMO_THROWAWAY_DB !== "1")
    return {
      enabled: false,
      refused:
        "LOCKSTEP_DEMO=1 is ignored: DATABASE_URL is set. Demo sign-in needs no password, so it runs on the embedded database only — or set LOCKSTEP_DEMO_THROWAWAY_DB=1 as well if this PostgreSQL database is a throwaway.",
    };
  return { enabled: true, refused: null };
}

export function demoSignInEnabled(): boolean {
  return demoMode().enabled;
}

export type OidcSettings = { issuer: string; clientId: string; clientSecret: string; name: string };

export function oidcSettings(): OidcSettings | null {
  const issuer = process.env.LOCKSTEP_OIDC_ISSUER?.trim();
  const clientId = process.env.LOCKSTEP_OIDC_CLIENT_ID?.trim();
  const clientSecret = process.env.LOCKSTEP_OIDC_CLIENT_SECRET?.trim();
  if (!issuer || !clientId || !clientSecret) return null;
  return { issuer, clientId, clientSecret, name: process.env.LOCKSTEP_OIDC_NAME?.trim() || "Single sign-on" };
}
