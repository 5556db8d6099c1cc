/**
 * Lockstep as a WebAuthn relying party (README: Configuration). The origin is where the console is served; the
 * RP id is the domain passkeys are bound to (the origin's host, or a registrable parent of it to share passkeys
 * across subdomains). Browsers allow WebAuthn only on https origins and on http://localhost.
 */
export type RelyingParty = { id: string; name: string; origin: string };

export function relyingParty(env: Record<string, string | undefined> = process.env): RelyingParty {
  const origin = new URL(
    env.LOCKSTEP_WEBAUTHN_ORIGIN?.trim() ||
      // Auth.js's own setting for the public URL, when a deployment sets it; else the local server.
      env.AUTH_URL?.trim() ||
      `http://localhost:${env.PORT?.trim() || "3000"}`,
  ).origin;
  const id = env.LOCKSTEP_WEBAUTHN_RP_ID?.trim() || new URL(origin).hostname;
  const host = new URL(origin).hostname;
  // The browser refuses an RP id that is not the origin's host or a parent domain of it; say so at once.
  if (host !== id && !host.endsWith(`.${id}`)) {
    throw new Error(`LOCKSTEP_WEBAUTHN_RP_ID "${id}" is neither ${host} nor a parent domain of it.`);
  }
  return { id, name: env.LOCKSTEP_WEBAUTHN_RP_NAME?.trim() || "Lockstep", origin };
}
