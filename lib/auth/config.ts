/** Sign-in settings read from the environment (README: Configuration). */
export function demoSignInEnabled(): boolean {
  return process.env.LOCKSTEP_DEMO === "1";
}

export type OidcSettings = { issuer: string; clientId: string; clientSecret: string; name: string };

export function oidcSettings(): OidcSettings | null {
  const issuer = process.env.LOCKSTEP_OIDC_ISSUER?.trim();
  const clientId = process.env.LOCKSTEP_OIDC_CLIENT_ID?.trim();
  const clientSecret = process.env.LOCKSTEP_OIDC_CLIENT_SECRET?.trim();
  if (!issuer || !clientId || !clientSecret) return null;
  return { issuer, clientId, clientSecret, name: process.env.LOCKSTEP_OIDC_NAME?.trim() || "Single sign-on" };
}
