import { createHmac } from "node:crypto";
import { failFor, probeCall, secretFor, send } from "./http";
import {
  type Connector,
  type ConnectorAction,
  ConnectorError,
  type ConnectorSystem,
  type ExecuteResult,
  type ProbeStep,
  type VerifyResult,
} from "./types";

const SIGNATURE_HEADER = "x-lockstep-signature";
const TIMESTAMP_HEADER = "x-lockstep-timestamp";

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the timestamp is signed so old requests cannot be replayed. */
function sign(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * Systems with their own automation: Lockstep POSTs a signed request (idempotency key = the task id, so a
 * retried delivery is harmless) and verifies with a second signed call that asks whether it is revoked.
 * Answers: execute `{ status: "done" | "already_gone", detail? }`, verify `{ revoked: boolean, how? }`.
 */
export class WebhookConnector implements Connector {
  readonly kind = "webhook" as const;
  readonly simulated = false;

  constructor(
    private readonly system: ConnectorSystem,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private async call(event: "execute" | "verify", action: ConnectorAction): Promise<Record<string, unknown>> {
    const url = this.system.config.webhookUrl;
    if (!url) throw new ConnectorError(`${this.system.name}: webhook URL is not configured`, false);
    const { system: _omit, ...rest } = action;
    const body = JSON.stringify({
      event: `lockstep.revocation.${event}`,
      idempotencyKey: `task-${action.id}`,
      system: this.system.slug,
      action: rest,
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await send(`${this.system.name} webhook ${event}`, url, {
      method: "POST",
      body,
      timeoutMs: this.system.config.timeoutMs,
      headers: {
        "content-type": "application/json",
        "idempotency-key": `task-${action.id}`,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: sign(secretFor(this.system.config.secretEnv, this.env), timestamp, body),
      },
    });
    if (!res.ok) await failFor(`${this.system.name} webhook ${event}`, res);
    return ((await res.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
  }

  /** A connection test: a signed `lockstep.ping` (no action in it); any 2xx means the receiver took it. */
  async probe(): Promise<ProbeStep[]> {
    const url = this.system.config.webhookUrl;
    const call = "POST lockstep.ping";
    if (!url)
      return [{ call, url: "", status: null, latencyMs: 0, ok: false, answer: "webhook URL is not configured" }];
    let secret: string;
    try {
      secret = secretFor(this.system.config.secretEnv, this.env);
    } catch (err) {
      return [{ call, url, status: null, latencyMs: 0, ok: false, answer: (err as Error).message }];
    }
    const body = JSON.stringify({ event: "lockstep.ping", system: this.system.slug });
    const timestamp = String(Math.floor(Date.now() / 1000));
    return [
      await probeCall(
        call,
        url,
        {
          method: "POST",
          body,
          timeoutMs: this.system.config.timeoutMs,
          headers: {
            "content-type": "application/json",
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: sign(secret, timestamp, body),
          },
        },
        () => "the receiver accepted a signed ping",
      ),
    ];
  }

  async execute(action: ConnectorAction): Promise<ExecuteResult> {
    const answer = await this.call("execute", action);
    const outcome = answer.status === "already_gone" ? "already_gone" : "done";
    return {
      outcome,
      detail: String(answer.detail ?? `webhook accepted (${outcome})`),
      evidence: { deliveryKey: `task-${action.id}` },
    };
  }

  async verify(action: ConnectorAction): Promise<VerifyResult> {
    const answer = await this.call("verify", action);
    return answer.revoked === true
      ? { verified: true, how: String(answer.how ?? "signed verify call: revoked"), gone: answer.gone === true }
      : { verified: false, reason: String(answer.reason ?? "the system reports it is not revoked yet") };
  }
}
