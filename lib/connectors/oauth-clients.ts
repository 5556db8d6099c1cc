import { failFor, send } from "./http";
import { ConnectorError, type ConnectorSystem, type ExecuteResult, type VerifyResult } from "./types";

/** An OAuth client's RFC 7592 registration, as Lockstep keeps it (sealed) in credential_handles. */
export type Registration = { registrationClientUri: string; registrationAccessToken: string };
type ClientMetadata = Record<string, unknown> & { client_id: string; scope?: string; client_secret?: string };

/** Fields the server sets and a client configuration update must not send back (RFC 7592 §2.2). */
const SERVER_FIELDS = [
  "registration_access_token",
  "registration_client_uri",
  "client_secret_expires_at",
  "client_id_issued_at",
];

const scopesOf = (m: ClientMetadata) =>
  new Set(
    String(m.scope ?? "")
      .split(/\s+/)
      .filter(Boolean),
  );

/**
 * OAuth client management through RFC 7592 (the client configuration endpoint, authenticated with the client's
 * registration access token): read the client, replace its metadata with a smaller `scope`, or delete it. So a
 * client can be reduced or revoked without holding any of its tokens. Verification reads the configuration back;
 * for a reduction it also asks the token endpoint for a dropped scope and expects a refusal. Per §2.1 a client
 * that no longer exists answers 401 (or 404) at its configuration endpoint.
 */
export class OAuthClientManager {
  constructor(
    private readonly system: ConnectorSystem,
    private readonly saveRegistration: (r: Registration) => Promise<void>,
  ) {}

  private async call(what: string, reg: Registration, init: RequestInit = {}): Promise<Response> {
    return send(`${this.system.name} RFC 7592 ${what}`, reg.registrationClientUri, {
      ...init,
      timeoutMs: this.system.config.timeoutMs,
      headers: {
        accept: "application/json",
        authorization: `Bearer ${reg.registrationAccessToken}`,
        ...(init.body ? { "content-type": "application/json" } : {}),
      },
    });
  }

  /** The client's metadata, or null when the server says it no longer exists. */
  async read(reg: Registration): Promise<ClientMetadata | null> {
    const res = await this.call("GET client", reg);
    if (res.status === 401 || res.status === 404) return null;
    if (!res.ok) await failFor(`${this.system.name} RFC 7592 GET client`, res);
    return (await res.json()) as ClientMetadata;
  }

  /** Replaces the client's metadata (RFC 7592 §2.2), keeping a rotated registration access token. */
  private async update(reg: Registration, metadata: Record<string, unknown>): Promise<ClientMetadata> {
    const body = Object.fromEntries(Object.entries(metadata).filter(([k]) => !SERVER_FIELDS.includes(k)));
    const res = await this.call("PUT client", reg, { method: "PUT", body: JSON.stringify(body) });
    if (!res.ok) await failFor(`${this.system.name} RFC 7592 PUT client`, res);
    const updated = (await res.json()) as ClientMetadata;
    // A server may rotate the registration access token on update (RFC 7592 §2.2): keep the new one.
    if (
      typeof updated.registration_access_token === "string" &&
      updated.registration_access_token !== reg.registrationAccessToken
    ) {
      await this.saveRegistration({
        registrationAccessToken: updated.registration_access_token,
        registrationClientUri: String(updated.registration_client_uri ?? reg.registrationClientUri),
      });
    }
    return updated;
  }

  private async current(reg: Registration): Promise<ClientMetadata> {
    const current = await this.read(reg);
    if (!current) throw new ConnectorError(`${this.system.name}: the OAuth client is no longer registered`, false);
    return current;
  }

  async reduce(reg: Registration, keep: readonly string[]): Promise<ExecuteResult> {
    const current = await this.current(reg);
    const before = [...scopesOf(current)];
    const kept = before.filter((s) => keep.includes(s));
    await this.update(reg, { ...current, scope: kept.join(" ") });
    return {
      outcome: "done",
      detail: `RFC 7592 PUT: scope "${before.join(" ")}" → "${kept.join(" ")}"`,
      evidence: { clientId: current.client_id, before, after: kept },
    };
  }

  async verifyReduced(reg: Registration, keep: readonly string[], drop: readonly string[]): Promise<VerifyResult> {
    const current = await this.read(reg);
    if (!current) return { verified: true, gone: true, how: "RFC 7592 GET: the client no longer exists — gone" };
    const granted = scopesOf(current);
    const still = drop.filter((s) => granted.has(s));
    if (still.length) return { verified: false, reason: `the client still has ${still.join(", ")}` };
    const refusal = await this.tokenRefusal(current, drop);
    if (refusal && !refusal.refused) {
      return { verified: false, reason: `the token endpoint still issues ${drop.join(" ")} (${refusal.detail})` };
    }
    const how = `RFC 7592 GET: scope "${[...granted].join(" ")}"${refusal ? `; token request for "${drop.join(" ")}" refused (${refusal.detail})` : ""}`;
    return {
      verified: true,
      how,
      evidence: { scope: [...granted], kept: keep, dropped: drop, tokenCheck: refusal?.detail ?? null },
    };
  }

  /**
   * Asks for a token with the dropped scopes as the client itself (client credentials, when the configuration
   * told us its secret and the system names its token endpoint). Null when that check cannot be made.
   */
  private async tokenRefusal(
    client: ClientMetadata,
    drop: readonly string[],
  ): Promise<{ refused: boolean; detail: string } | null> {
    const tokenEndpoint = this.system.config.tokenEndpoint;
    const grants = Array.isArray(client.grant_types) ? client.grant_types : [];
    if (!tokenEndpoint || !client.client_secret || !grants.includes("client_credentials") || drop.length === 0)
      return null;
    const basic = Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`);
    const res = await send(`${this.system.name} token request`, tokenEndpoint, {
      method: "POST",
      timeoutMs: this.system.config.timeoutMs,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${basic.toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: drop.join(" ") }).toString(),
    });
    const answer = (await res.json().catch(() => ({}))) as { error?: string; scope?: string };
    if (res.ok) {
      // Some servers narrow the scope instead of refusing: what matters is that no dropped scope is granted.
      const issued = new Set(
        String(answer.scope ?? "")
          .split(/\s+/)
          .filter(Boolean),
      );
      const leaked = drop.filter((s) => issued.has(s));
      return leaked.length
        ? { refused: false, detail: `issued ${leaked.join(" ")}` }
        : { refused: true, detail: "issued without them" };
    }
    return { refused: true, detail: `${res.status} ${answer.error ?? ""}`.trim() };
  }

  /**
   * Asks the server for a new client secret. RFC 7592 §2.2 lets a client send only its current secret, so the
   * update carries none and the server MAY answer with a new one; a server that keeps the old secret (oidc-provider
   * does) cannot rotate it this way, which is said as such. The rotation counts once the configuration read back
   * holds the new secret and, where the token endpoint is known and the client may use client credentials, the old
   * secret is refused there and the new one accepted.
   */
  async rotateSecret(
    reg: Registration,
  ): Promise<{ clientId: string; secret: string; expiresAt: Date | null; how: string }> {
    const current = await this.current(reg);
    const { client_secret: old, ...rest } = current;
    const updated = await this.update(reg, rest);
    const secret = updated.client_secret;
    if (typeof secret !== "string" || !secret || secret === old) {
      throw new ConnectorError(
        `${this.system.name} does not issue a new client secret through RFC 7592 (it kept the current one): rotate it at the issuer`,
        false,
      );
    }
    const saved = await this.read(this.latest(reg, updated));
    if (saved?.client_secret !== secret) {
      throw new ConnectorError(`${this.system.name}: the configuration read back does not hold the new secret`, false);
    }
    const checks: string[] = ["RFC 7592 GET holds the new secret"];
    const client = { ...saved, client_secret: secret };
    const withNew = await this.tokenCheck(client, secret);
    const withOld = old ? await this.tokenCheck(client, old) : null;
    if (withNew && !withNew.ok) throw new ConnectorError(`the new secret was refused (${withNew.detail})`, false);
    if (withOld?.ok) throw new ConnectorError(`${this.system.name} still accepts the old secret`, false);
    if (withNew) checks.push("token request with the new secret accepted");
    if (withOld) checks.push(`with the old one refused (${withOld.detail})`);
    const expires = Number(updated.client_secret_expires_at ?? 0);
    return {
      clientId: current.client_id,
      secret,
      expiresAt: expires > 0 ? new Date(expires * 1000) : null,
      how: checks.join("; "),
    };
  }

  /** The registration after an update (its access token may have been rotated). */
  private latest(reg: Registration, updated: ClientMetadata): Registration {
    return typeof updated.registration_access_token === "string"
      ? {
          registrationAccessToken: updated.registration_access_token,
          registrationClientUri: String(updated.registration_client_uri ?? reg.registrationClientUri),
        }
      : reg;
  }

  /** A client-credentials token request with the given secret; null when the check cannot be made. */
  private async tokenCheck(client: ClientMetadata, secret: string): Promise<{ ok: boolean; detail: string } | null> {
    const tokenEndpoint = this.system.config.tokenEndpoint;
    const grants = Array.isArray(client.grant_types) ? client.grant_types : [];
    if (!tokenEndpoint || !grants.includes("client_credentials")) return null;
    const basic = Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(secret)}`);
    const res = await send(`${this.system.name} token request`, tokenEndpoint, {
      method: "POST",
      timeoutMs: this.system.config.timeoutMs,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${basic.toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }).toString(),
    });
    const answer = (await res.json().catch(() => ({}))) as { error?: string };
    return { ok: res.ok, detail: `${res.status}${answer.error ? ` ${answer.error}` : ""}` };
  }

  async remove(reg: Registration): Promise<ExecuteResult> {
    const res = await this.call("DELETE client", reg, { method: "DELETE" });
    if (res.status === 401 || res.status === 404) {
      return { outcome: "already_gone", detail: "RFC 7592: the client was no longer registered" };
    }
    if (!res.ok) await failFor(`${this.system.name} RFC 7592 DELETE client`, res);
    return { outcome: "done", detail: `RFC 7592 DELETE client (${res.status})` };
  }

  async verifyRemoved(reg: Registration): Promise<VerifyResult> {
    const current = await this.read(reg);
    return current
      ? { verified: false, reason: `the client ${current.client_id} is still registered` }
      : { verified: true, how: "RFC 7592 GET: the client no longer exists (401)" };
  }
}
