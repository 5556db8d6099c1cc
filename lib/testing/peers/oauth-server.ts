import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { applyFault, type Faults, newFaults, type PeerMode } from "./faults";

/**
 * A real OAuth 2.0 authorization server (oidc-provider) that issues the leaver's tokens (client credentials)
 * and offers RFC 7009 revocation and RFC 7662 introspection. Lockstep authenticates as its own admin client,
 * which the policy below allows to revoke and introspect any client's tokens (as an IdP admin API would).
 */
export type OAuthClient = { clientId: string; clientSecret: string };
export type RegisteredClient = OAuthClient & { registrationClientUri: string; registrationAccessToken: string };
export type OAuthPeer = {
  issuer: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  introspectionEndpoint: string;
  admin: OAuthClient;
  apps: OAuthClient[];
  registrationEndpoint: string;
  initialAccessToken: string;
  faults: Faults;
  /** Obtains a fresh access token for an app client (client_credentials grant). */
  issueToken: (client: OAuthClient, scope?: string) => Promise<string>;
  /**
   * Registers a client dynamically (RFC 7591) with client credentials and the given scopes: its configuration
   * endpoint (RFC 7592) is what Lockstep manages it through.
   */
  registerClient: (scope: string) => Promise<RegisteredClient>;
  /** Asks for a token as a registered client; the error code when the server refuses. */
  tokenFor: (client: OAuthClient, scope: string) => Promise<{ ok: true; scope: string } | { ok: false; error: string }>;
  /** Introspects as the admin client: what the test asks the server to prove a revocation. */
  introspect: (token: string) => Promise<{ active: boolean; client_id?: string }>;
  setMode: (mode: PeerMode, slowMs?: number) => void;
  stop: () => Promise<void>;
};

type ProviderLike = {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  on(event: string, fn: (...a: unknown[]) => void): void;
  InitialAccessToken: new (props: { policies: string[] }) => { save(): Promise<string> };
};

const secret = () => randomBytes(18).toString("base64url");

export async function startOAuthPeer(
  opts: {
    port?: number;
    apps?: number;
    admin?: OAuthClient;
    appClients?: OAuthClient[];
    /**
     * Issue a new client secret on every RFC 7592 update of a registered client, as §2.2 allows (a registration
     * policy does it). oidc-provider by itself keeps the secret, so without this no secret can be rotated.
     */
    rotateSecretOnUpdate?: boolean;
  } = {},
): Promise<OAuthPeer> {
  const admin = opts.admin ?? { clientId: "lockstep-revoker", clientSecret: secret() };
  const apps =
    opts.appClients ??
    Array.from({ length: opts.apps ?? 2 }, (_, i) => ({ clientId: `leaver-app-${i + 1}`, clientSecret: secret() }));
  const faults = newFaults();
  let initialAccessToken = secret();
  const server: Server = createServer();
  // Longer than any pause in a test: a socket the server closes while the client reuses it reads as ECONNRESET.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // oidc-provider ships no types; e2e/support declares a narrower slice, so the constructor is typed loosely here.
  const Provider = (await import("oidc-provider")).default as unknown as new (
    issuer: string,
    config: Record<string, unknown>,
  ) => ProviderLike;
  const adminOrOwner = async (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) =>
    client.clientId === admin.clientId || client.clientId === token.clientId;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: admin.clientId,
        client_secret: admin.clientSecret,
        grant_types: [],
        redirect_uris: [],
        response_types: [],
      },
      ...apps.map((a) => ({
        client_id: a.clientId,
        client_secret: a.clientSecret,
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
        scope: "api:read api:write",
      })),
    ],
    scopes: ["api:read", "api:write"],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: adminOrOwner },
      revocation: { enabled: true, allowedPolicy: adminOrOwner },
      // RFC 7591 registration behind an initial access token, and RFC 7592 management of what was registered.
      registration: {
        enabled: true,
        // With rotation, clients are registered under a stored initial access token carrying the policy below.
        initialAccessToken: opts.rotateSecretOnUpdate ? true : initialAccessToken,
        policies: {
          "rotate-secret-on-update": (ctx: { method: string }, properties: Record<string, unknown>) => {
            if (ctx.method === "PUT") properties.client_secret = secret();
          },
        },
      },
      registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
    },
    ttl: { ClientCredentials: 3600 },
    cookies: { keys: ["lockstep-test-peer-only"] },
    findAccount: async () => undefined,
  });
  if (opts.rotateSecretOnUpdate) {
    initialAccessToken = await new provider.InitialAccessToken({ policies: ["rotate-secret-on-update"] }).save();
  }
  provider.on("server_error", (_ctx, err) => console.error(`[oauth-peer] ${(err as Error).message}`));
  const handler = provider.callback();
  server.on("request", async (req, res) => {
    if (req.url === "/_control/mode" && req.method === "POST") {
      let body = "";
      for await (const chunk of req) body += chunk;
      const parsed = JSON.parse(body || "{}") as { mode?: PeerMode; slowMs?: number };
      if (parsed.mode) faults.mode = parsed.mode;
      if (parsed.slowMs) faults.slowMs = parsed.slowMs;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ mode: faults.mode }));
      return;
    }
    if (await applyFault(faults, req, res)) return;
    handler(req, res);
  });
  const basic = (c: OAuthClient) =>
    `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString("base64")}`;
  const form = { "content-type": "application/x-www-form-urlencoded" };
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    revocationEndpoint: `${issuer}/token/revocation`,
    introspectionEndpoint: `${issuer}/token/introspection`,
    admin,
    apps,
    registrationEndpoint: `${issuer}/reg`,
    initialAccessToken,
    faults,
    async issueToken(client, scope = "api:read") {
      const res = await fetch(`${issuer}/token`, {
        method: "POST",
        headers: { ...form, authorization: basic(client) },
        body: new URLSearchParams({ grant_type: "client_credentials", scope }),
      });
      const body = (await res.json()) as { access_token?: string; error?: string };
      if (!body.access_token) throw new Error(`token request failed: ${res.status} ${body.error}`);
      return body.access_token;
    },
    async registerClient(scope) {
      const res = await fetch(`${issuer}/reg`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${initialAccessToken}` },
        body: JSON.stringify({
          grant_types: ["client_credentials"],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: "client_secret_basic",
          scope,
        }),
      });
      const body = (await res.json()) as Record<string, string>;
      if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(body)}`);
      return {
        clientId: body.client_id,
        clientSecret: body.client_secret,
        registrationClientUri: body.registration_client_uri,
        registrationAccessToken: body.registration_access_token,
      };
    },
    async tokenFor(client, scope) {
      const res = await fetch(`${issuer}/token`, {
        method: "POST",
        headers: { ...form, authorization: basic(client) },
        body: new URLSearchParams({ grant_type: "client_credentials", scope }),
      });
      const body = (await res.json()) as { scope?: string; error?: string };
      return res.ok ? { ok: true, scope: body.scope ?? "" } : { ok: false, error: body.error ?? String(res.status) };
    },
    async introspect(token) {
      const res = await fetch(`${issuer}/token/introspection`, {
        method: "POST",
        headers: { ...form, authorization: basic(admin) },
        body: new URLSearchParams({ token }),
      });
      return (await res.json()) as { active: boolean; client_id?: string };
    },
    setMode(mode, slowMs) {
      faults.mode = mode;
      if (slowMs) faults.slowMs = slowMs;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
