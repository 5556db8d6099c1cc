import { randomBytes } from "node:crypto";
import type { CredentialHandle } from "./handles";
import { failFor, probeCall, secretFor, send } from "./http";
import { OAuthClientManager, type Registration } from "./oauth-clients";
import {
  type Connector,
  type ConnectorAction,
  ConnectorError,
  type ConnectorSystem,
  type ExecuteResult,
  type ProbeStep,
  type VerifyResult,
} from "./types";

/** Where the connector finds (and, after a rotation, keeps) a credential's sealed handle. */
export type HandleStore = {
  open: (credentialId: number) => Promise<CredentialHandle | null>;
  save: (credentialId: number, handle: CredentialHandle) => Promise<void>;
};

/**
 * OAuth 2.0 at an authorization server. A token is revoked with RFC 7009 (client authentication) and verified by
 * introspection (RFC 7662): a revocation counts only once the server says `active: false`. RFC 7009 answers 200
 * whether or not the token was valid, so execute introspects first to record a token that was already dead as
 * `already_gone`; on 503 the token is assumed live and the call is retried (RFC 7009 §2.2.1). An OAuth client
 * registered with RFC 7591 is managed through RFC 7592 instead (oauth-clients.ts): reduced or deleted.
 */
export class OAuthConnector implements Connector {
  readonly kind = "oauth" as const;
  readonly simulated = false;

  constructor(
    private readonly system: ConnectorSystem,
    private readonly handles: HandleStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The request body and headers of a call with Lockstep's client authentication (RFC 6749 §2.3.1). */
  private authenticated(form: Record<string, string>): { headers: Record<string, string>; body: string } {
    const { clientId, clientAuth = "client_secret_basic", secretEnv } = this.system.config;
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
    return { headers, body: body.toString() };
  }

  private async post(what: string, url: string | undefined, form: Record<string, string>): Promise<Response> {
    if (!url) throw new ConnectorError(`${this.system.name}: ${what} endpoint is not configured`, false);
    return send(`${this.system.name} OAuth ${what}`, url, {
      method: "POST",
      ...this.authenticated(form),
      timeoutMs: this.system.config.timeoutMs,
    });
  }

  /**
   * A connection test that changes nothing: introspects (RFC 7662) and revokes (RFC 7009) a token that never
   * existed. Both answer 200 to an authenticated client (`active: false`; revocation of an unknown token is a
   * success by §2.2), 401 to a wrong secret.
   */
  async probe(): Promise<ProbeStep[]> {
    const dummy = { token: `lockstep-connection-test-${randomBytes(8).toString("hex")}` };
    const steps: ProbeStep[] = [];
    const c = this.system.config;
    for (const [what, url, read] of [
      [
        "introspection (RFC 7662)",
        c.introspectionEndpoint,
        (b: unknown) =>
          (b as { active?: unknown })?.active === false
            ? "client authentication accepted; an unknown token is inactive, as it should be"
            : `unexpected answer: ${JSON.stringify(b).slice(0, 120)}`,
      ],
      ["revocation (RFC 7009)", c.revocationEndpoint, () => "client authentication accepted (200)"],
    ] as const) {
      const call = `POST ${what}`;
      if (!url) {
        steps.push({ call, url: "", status: null, latencyMs: 0, ok: false, answer: "endpoint is not configured" });
        continue;
      }
      let init: { headers: Record<string, string>; body: string };
      try {
        init = this.authenticated(dummy);
      } catch (err) {
        steps.push({ call, url, status: null, latencyMs: 0, ok: false, answer: (err as Error).message });
        continue;
      }
      const step = await probeCall(call, url, { method: "POST", ...init, timeoutMs: c.timeoutMs }, read);
      if (step.ok && what.startsWith("introspection") && step.answer.startsWith("unexpected")) step.ok = false;
      steps.push(step);
    }
    return steps;
  }

  private async handle(action: ConnectorAction & { credential: { id: number; externalRef: string | null } }) {
    const handle = await this.handles.open(action.credential.id);
    if (!handle) {
      const what = action.credential.externalRef ?? `credential ${action.credential.id}`;
      throw new ConnectorError(`no handle (token or client registration) is registered for ${what}`, false);
    }
    return handle;
  }

  private clients(credentialId: number): OAuthClientManager {
    return new OAuthClientManager(this.system, (r: Registration) =>
      this.handles.save(credentialId, { kind: "registration", ...r }),
    );
  }

  /**
   * A new secret for an OAuth client Lockstep holds the RFC 7592 registration of (oauth-clients.ts rotateSecret).
   * Not a remediation action: nothing is taken away from anyone, so it is not a task but an admin's command.
   */
  async rotateClientSecret(credential: { id: number; externalRef: string | null }) {
    const handle = await this.handles.open(credential.id);
    if (handle?.kind !== "registration") {
      throw new ConnectorError("Lockstep holds no RFC 7592 registration for this client: register it first", false);
    }
    return this.clients(credential.id).rotateSecret(handle);
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
    if (action.kind !== "revoke_credential" && action.kind !== "reduce_scopes") {
      throw new ConnectorError(`OAuth cannot ${action.kind.replace(/_/g, " ")}`, false);
    }
    const handle = await this.handle(action);
    if (handle.kind === "registration") {
      const clients = this.clients(action.credential.id);
      return action.kind === "reduce_scopes" ? clients.reduce(handle, action.keepScopes) : clients.remove(handle);
    }
    if (action.kind === "reduce_scopes") {
      throw new ConnectorError(
        "a token's scopes cannot be reduced: register the OAuth client (RFC 7592) instead",
        false,
      );
    }
    return this.revokeToken(handle.token, handle.hint);
  }

  async verify(action: ConnectorAction): Promise<VerifyResult> {
    if (action.kind !== "revoke_credential" && action.kind !== "reduce_scopes") {
      throw new ConnectorError(`OAuth cannot verify ${action.kind.replace(/_/g, " ")}`, false);
    }
    const handle = await this.handle(action);
    if (handle.kind === "registration") {
      const clients = this.clients(action.credential.id);
      return action.kind === "reduce_scopes"
        ? clients.verifyReduced(handle, action.keepScopes, action.dropScopes)
        : clients.verifyRemoved(handle);
    }
    const result = await this.introspect(handle.token, handle.hint);
    return result.active
      ? { verified: false, reason: "introspection still reports the token active" }
      : { verified: true, how: "introspection (RFC 7662): active=false", evidence: { active: false } };
  }

  private async revokeToken(token: string, hint: string | null): Promise<ExecuteResult> {
    const before = await this.introspect(token, hint);
    if (!before.active) {
      return {
        outcome: "already_gone",
        detail: "introspection: token already inactive (expired or revoked)",
        evidence: { activeBefore: false },
      };
    }
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
}
