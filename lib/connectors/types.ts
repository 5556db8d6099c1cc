import type { connectorKind, deprovisionMode, remediationAction } from "@/db/schema/enums";
import type { ConnectorConfig } from "@/db/schema/systems";

/**
 * The connector port of the remediation engine (lib/remediation), shared by every origin that changes something
 * on a connected system (leaver cases, access reviews, break-glass, the credential page): `execute` changes the
 * target, `verify` re-reads the target's state to prove it.
 */
export type ConnectorKind = (typeof connectorKind.enumValues)[number];
/** Every remediation action but the ownership handover, which happens inside Lockstep. */
export type ActionKind = Exclude<(typeof remediationAction.enumValues)[number], "transfer_ownership">;

export type ConnectorSystem = {
  id: number;
  slug: string;
  name: string;
  kind: ConnectorKind;
  config: ConnectorConfig;
  simulated: boolean;
  deprovisionMode: (typeof deprovisionMode.enumValues)[number];
};

export type AccountRef = { username: string; externalId: string | null };
type CredentialRef = { id: number; externalRef: string | null; credentialKind: string };
type PersonRef = { email: string | null; employeeNumber: string | null; displayName: string };

/**
 * What to change. `id` is stable per change (the remediation task id): connectors use it as the idempotency key.
 * `ref` names the inventory row the action is about (e.g. grant 812), for stand-ins and logs.
 */
export type ConnectorAction = {
  id: string;
  system: ConnectorSystem;
  person: PersonRef;
  ref?: { type: string; id: number };
} & (
  | { kind: "disable_account"; account: AccountRef }
  | { kind: "delete_account"; account: AccountRef }
  | { kind: "add_grant"; account: AccountRef; entitlement: { name: string } }
  | { kind: "remove_grant"; account: AccountRef; entitlement: { name: string } }
  | { kind: "end_sessions"; account: AccountRef | null }
  | { kind: "remove_device_trust"; device: { id: number; name: string } }
  | { kind: "revoke_credential"; credential: CredentialRef }
  | { kind: "reduce_scopes"; credential: CredentialRef; keepScopes: string[]; dropScopes: string[] }
  | { kind: "remove_recovery_factor"; factor: { id: number; type: string; channel: string | null } }
);

export type ExecuteResult = {
  /** `already_gone`: the target said the thing did not exist (recorded as such, never as an error). */
  outcome: "done" | "already_gone";
  detail: string;
  evidence?: Record<string, unknown>;
};

export type VerifyResult =
  | { verified: true; how: string; gone?: boolean; evidence?: Record<string, unknown> }
  | { verified: false; reason: string; evidence?: Record<string, unknown> };

/** A failed call: `retryable` for 429, 5xx, timeouts and network errors; not for 400/401/403 and the like. */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ConnectorError";
  }
}

export interface Connector {
  readonly kind: ConnectorKind;
  readonly simulated: boolean;
  execute(action: ConnectorAction): Promise<ExecuteResult>;
  verify(action: ConnectorAction): Promise<VerifyResult>;
}

/** One call of a connection test: what was called, what the target answered and how long it took. */
export type ProbeStep = {
  call: string;
  url: string;
  /** HTTP status, or null when no answer came (network error, timeout, a setting missing). */
  status: number | null;
  latencyMs: number;
  ok: boolean;
  /** What the answer says, in a line (or the error text). */
  answer: string;
};
