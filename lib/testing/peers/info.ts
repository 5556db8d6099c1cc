/** How to reach the test peers (written by serve.ts for the e2e run, built from in-process peers in Vitest). */
export type OAuthClient = { clientId: string; clientSecret: string };
export type PeersInfo = {
  scim: { url: string; control?: string; token: string };
  oauth: {
    issuer: string;
    tokenEndpoint: string;
    revocationEndpoint: string;
    introspectionEndpoint: string;
    control?: string;
    admin: OAuthClient;
    apps: OAuthClient[];
    /** RFC 7591 dynamic registration, behind an initial access token. */
    registrationEndpoint?: string;
    initialAccessToken?: string;
  };
};

const basic = (c: OAuthClient) =>
  `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString("base64")}`;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** A client-credentials access token from the OAuth peer. */
export async function issueToken(info: PeersInfo, client: OAuthClient, scope = "api:read"): Promise<string> {
  const res = await fetch(info.oauth.tokenEndpoint, {
    method: "POST",
    headers: { ...FORM, authorization: basic(client) },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`token request failed: ${res.status} ${body.error}`);
  return body.access_token;
}

/** RFC 7662 introspection as the admin client: what the OAuth server says about a token. */
export async function introspect(info: PeersInfo, token: string): Promise<{ active: boolean }> {
  const res = await fetch(info.oauth.introspectionEndpoint, {
    method: "POST",
    headers: { ...FORM, authorization: basic(info.oauth.admin) },
    body: new URLSearchParams({ token }),
  });
  return (await res.json()) as { active: boolean };
}

/** A SCIM call with the peer's bearer token. */
export async function scim<T>(
  info: PeersInfo,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${info.scim.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${info.scim.token}`,
      "content-type": "application/scim+json",
      accept: "application/scim+json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (res.status === 204 ? null : await res.json().catch(() => null)) as T };
}

/** The SCIM user with this userName, as the SCIM server reports it (filter search, RFC 7644 §3.4.2.2). */
export async function scimUserByName(
  info: PeersInfo,
  userName: string,
): Promise<{ id: string; active: boolean } | null> {
  const { body } = await scim<{ Resources?: { id: string; active: boolean }[] }>(
    info,
    "GET",
    `/Users?filter=${encodeURIComponent(`userName eq ${JSON.stringify(userName)}`)}`,
  );
  return body?.Resources?.[0] ?? null;
}

/** Switches a peer's fault mode (ok, down, slow, unauthorized) from another process. */
export async function setPeerMode(
  controlUrl: string,
  mode: "ok" | "down" | "slow" | "unauthorized",
  slowMs?: number,
): Promise<void> {
  await fetch(controlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ mode, slowMs }),
  });
}

export type RegisteredClient = OAuthClient & { registrationClientUri: string; registrationAccessToken: string };

/** Registers a client-credentials client at the OAuth peer (RFC 7591): what RFC 7592 then manages. */
export async function registerClient(info: PeersInfo, scope: string): Promise<RegisteredClient> {
  const { registrationEndpoint, initialAccessToken } = info.oauth;
  if (!registrationEndpoint || !initialAccessToken) throw new Error("the OAuth peer offers no registration");
  const res = await fetch(registrationEndpoint, {
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
}

/** Asks for a token as a client; the error code when the server refuses (e.g. `invalid_scope`). */
export async function tokenRequest(
  info: PeersInfo,
  client: OAuthClient,
  scope: string,
): Promise<{ ok: true; scope: string } | { ok: false; error: string }> {
  const res = await fetch(info.oauth.tokenEndpoint, {
    method: "POST",
    headers: { ...FORM, authorization: basic(client) },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
  const body = (await res.json()) as { scope?: string; error?: string };
  return res.ok ? { ok: true, scope: body.scope ?? "" } : { ok: false, error: body.error ?? String(res.status) };
}
