import { remediationAction } from "@/db/schema/enums";
import type { ActionKind, ConnectorKind, ConnectorSystem } from "./types";

const ACTION_KINDS: readonly ActionKind[] = remediationAction.enumValues.filter(
  (a): a is ActionKind => a !== "transfer_ownership",
);

/**
 * What each connector can do by itself. Anything else on that system becomes a manual task assigned to the
 * system's owner (never a skipped one). SCIM manages users and group memberships, not sessions or devices; OAuth
 * revokes tokens (RFC 7009) and manages clients (RFC 7592: reduce scopes, delete); a webhook hands every kind to
 * the system's own automation. A simulated connector models the system's full API on an in-database stand-in,
 * so the demo works end to end.
 */
const CONNECTOR_SUPPORT: Record<ConnectorKind, readonly ActionKind[]> = {
  scim: ["disable_account", "delete_account", "add_grant", "remove_grant"],
  oauth: ["revoke_credential", "reduce_scopes"],
  webhook: ACTION_KINDS,
  manual: [],
};

export function supportedKinds(system: Pick<ConnectorSystem, "kind" | "simulated">): readonly ActionKind[] {
  if (system.kind === "manual") return [];
  return system.simulated ? ACTION_KINDS : CONNECTOR_SUPPORT[system.kind];
}

/**
 * Why a connector cannot work right now (missing endpoint or secret), or null when it can. A system whose
 * connector cannot work gets manual tasks, so nothing waits forever on a connector that will never run.
 */
export function connectorProblem(
  system: Pick<ConnectorSystem, "kind" | "simulated" | "config">,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  if (system.kind === "manual") return "manual system";
  if (system.simulated) return null;
  const c = system.config;
  const secret = c.secretEnv ? env[c.secretEnv] : undefined;
  if (!c.secretEnv || !secret) return `secret env var ${c.secretEnv ?? "(not configured)"} is not set`;
  if (system.kind === "scim" && !c.baseUrl) return "SCIM base URL is not configured";
  if (system.kind === "oauth" && (!c.revocationEndpoint || !c.introspectionEndpoint || !c.clientId)) {
    return "OAuth revocation/introspection endpoint or client id is not configured";
  }
  if (system.kind === "webhook" && !c.webhookUrl) return "webhook URL is not configured";
  return null;
}

/** The task kinds a system's connector will carry out now (none when it cannot work). */
export function workingKinds(
  system: Pick<ConnectorSystem, "kind" | "simulated" | "config">,
  env: NodeJS.ProcessEnv = process.env,
): readonly ActionKind[] {
  return connectorProblem(system, env) ? [] : supportedKinds(system);
}
