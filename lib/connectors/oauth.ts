import { failFor, secretFor, send } from "./http";
import {
  type Connector,
  type ConnectorAction,
  ConnectorError,
  type ConnectorSystem,
  type ExecuteResult,
  type VerifyResult,
} from "./types";

export type HandleLookup = (credentialId: number) => Promise<{ token: string; hint: string | null } | null>;

/**
 * OAuth 2.0 token revocation (RFC 7009) with client authentication, verified by introspection (RFC 7662):
 * a revocation counts only once the authorization server says `active: false`. RFC 7009 answers 200
 * whether or not the token was valid, so execute introspects first to record a token that was already dead
 * as `already_gone`. On 503 the token is assumed live and the call is retried (RFC 7009 §2.2.1).
 */
export class OAuthConnector implements Connector {
  readonly kind = "oauth" as const;
  readonly simulated = false;

  constructor(
    private readonly system: ConnectorSystem,
    private readonly handles: HandleLookup,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private async post(what: string, url: string | undefined, form: Record<string, string>): Promise<Response> {
    if (!url) throw new ConnectorError(`${this.system.name}: ${what} endpoint is not configured`, false);
    const { clientId, clientAuth = "client_secret_basic", secretEnv, timeoutMs } = this.system.config;
    if (!clientId) throw new ConnectorError(`${this.system.name}: OAuth client id is not configured`, false);
    const secret = secretFor(secretEnv, this.env);
    const body = new URLSearchParams(form);
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    };
    if (clientAuth === "client_secret_post") {
      body.set("client_id", clientId);
      body.set("client_secret", secret);
    } else {
      // RFC 6749 §2.3.1: form-urlencode id and secret before base64.
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`;
    }
    return send(`${this.system.name} OAuth ${what}`, url, {
      method: "POST",
      headers,
      body: body.toString(),
      timeoutMs,
    });
  }

  private async token(action: ConnectorAction): Promise<{ token: string; hint: string | null }> {
    if (action.kind !== "revoke_credential")
      throw new ConnectorError(`OAuth revocation cannot ${action.kind.replace(/_/g, " ")}`, false);
    const handle = await this.handles(action.credential.id);
    if (!handle)
      throw new ConnectorError(
        `no revocation handle is registered for ${action.credential.externalRef ?? `credential ${action.credential.id}`}`,
        false,
      );
    return handle;
  }

  private async introspect(token: string, hint: string | null): Promise<{ active: boolean; [k: string]: unknown }> {
    const res = await this.post("introspection", this.system.config.introspectionEndpoint, {
      token,
      ...(hint ? { token_type_hint: hint } : {}),
    });
    if (!res.ok) await failFor(`${this.system.name} OAuth introspection`, res);
    const body = (await res.json()) as { active?: unknown };
    if (typeof body.active !== "boolean")
      throw new ConnectorError(`${this.system.name} introspection answered without "active"`, false);
    return body as { active: boolean };
  }

  async execute(action: ConnectorAction): Promise<ExecuteResult> {
    const { token, hint } = await this.token(action);
    const before = await this.introspect(token, hint);
    if (!before.active)
      return {
        outcome: "already_gone",
        detail: "introspection: token already inactive (expired or revoked)",
        evidence: { activeBefore: false },
      };
    const res = await this.post("revocation", this.system.config.revocationEndpoint, {
      token,
      ...(hint ? { token_type_hint: hint } : {}),
    });
    if (!res.ok) await failFor(`${this.system.name} OAuth revocation`, res);
    return {
      outcome: "done",
      detail: "RFC 7009 revocation accepted (200)",
      evidence: { activeBefore: true, clientId: before.client_id ?? null },
    };
  }

  async verify(action: ConnectorAction): Promise<VerifyResult> {
    const { token, hint } = await this.token(action);
    const result = await this.introspect(token, hint);
    return result.active
      ? { verified: false, reason: "introspection still reports the token active" }
      : { verified: true, how: "introspection (RFC 7662): active=false", evidence: { active: false } };
  }
}
