import { createServer } from "node:http";
import Provider from "oidc-provider";

/**
 * A local OpenID provider for the e2e run (never for anything else): `oidc-provider` with its development
 * login form, where any login is accepted and the login *is* the email address the IdP asserts.
 * A login starting with "unverified+" asserts that email with email_verified = false.
 * Claims follow the spec (conformIdTokenClaims on): scope-requested claims come from the userinfo endpoint.
 *
 * Env: OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI. Prints `ready <issuer>`.
 */
const port = Number(process.env.OIDC_PORT);
const issuer = `http://localhost:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID!,
      client_secret: process.env.OIDC_CLIENT_SECRET!,
      redirect_uris: [process.env.OIDC_REDIRECT_URI!],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(_ctx, login) {
    const unverified = login.startsWith("unverified+");
    const email = unverified ? login.slice("unverified+".length) : login;
    return {
      accountId: login,
      async claims() {
        return { sub: login, email, email_verified: !unverified, name: email.split("@")[0] };
      },
    };
  },
  pkce: { required: () => true },
  cookies: { keys: ["lockstep-e2e-only-not-a-secret"] },
  features: { devInteractions: { enabled: true } },
});
// The dev login form and consent page are the only UI; silence the "dev interactions" warning noise.
provider.on("server_error", (_ctx, err) => console.error(`[oidc] ${err.message}`));

createServer(provider.callback()).listen(port, () => console.log(`ready ${issuer}`));
