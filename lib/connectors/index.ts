import type { Db } from "@/db/client";
import { openHandle, storeHandle } from "./handles";
import { OAuthConnector } from "./oauth";
import { ScimConnector } from "./scim";
import { SimulatedConnector } from "./simulated";
import { type Connector, ConnectorError, type ConnectorSystem, type ProbeStep } from "./types";
import { WebhookConnector } from "./webhook";

export * from "./types";

/** The connector that acts on a system; manual systems have none (an analyst confirms with evidence). */
export function connectorFor(
  system: ConnectorSystem,
  db: Db,
  opts: { env?: NodeJS.ProcessEnv; now?: () => Date } = {},
): Connector {
  if (system.kind === "manual")
    throw new ConnectorError(`${system.name} has no connector: confirm by hand with evidence`, false);
  if (system.simulated) return new SimulatedConnector(system, db, opts.now);
  switch (system.kind) {
    case "scim":
      return new ScimConnector(system, opts.env);
    case "oauth":
      return oauthConnectorFor(system, db, opts);
    case "webhook":
      return new WebhookConnector(system, opts.env);
  }
}

/** The OAuth connector of a real (not simulated) OAuth system, for what only it can do (an OAuth client's secret). */
export function oauthConnectorFor(system: ConnectorSystem, db: Db, opts: { env?: NodeJS.ProcessEnv } = {}) {
  if (system.kind !== "oauth" || system.simulated) {
    throw new ConnectorError(
      `${system.name} is not connected through a real OAuth 2.0 connector${system.simulated ? " (it is simulated)" : ""}`,
      false,
    );
  }
  return new OAuthConnector(
    system,
    { open: (id) => openHandle(db, id), save: (id, handle) => storeHandle(db, id, handle) },
    opts.env,
  );
}

export type ProbeResult = {
  /** `ok`: every call answered as expected; `simulated` / `manual`: nothing was called. */
  outcome: "ok" | "failed" | "simulated" | "manual";
  summary: string;
  steps: ProbeStep[];
};

/**
 * "Test connection": calls the system's endpoint with its saved connector settings and says what it answered,
 * changing nothing there (SCIM: ServiceProviderConfig and one user; OAuth: introspection and revocation of a token
 * that never existed; webhook: a signed ping). A simulated or manual system calls nothing.
 */
export async function probeConnection(
  system: ConnectorSystem,
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<ProbeResult> {
  if (system.kind === "manual")
    return { outcome: "manual", summary: "A manual system has no connector: there is nothing to call.", steps: [] };
  if (system.simulated)
    return {
      outcome: "simulated",
      summary:
        "Simulated: no call is made — tasks act on an in-database stand-in. Turn Simulated off to test the real endpoint.",
      steps: [],
    };
  const steps =
    system.kind === "scim"
      ? await new ScimConnector(system, opts.env).probe()
      : system.kind === "oauth"
        ? await new OAuthConnector(system, NO_HANDLES, opts.env).probe()
        : await new WebhookConnector(system, opts.env).probe();
  const ok = steps.length > 0 && steps.every((s) => s.ok);
  const failed = steps.find((s) => !s.ok);
  return {
    outcome: ok ? "ok" : "failed",
    summary: ok
      ? `Connected: ${steps.length} call${steps.length === 1 ? "" : "s"} answered as expected.`
      : `Not connected: ${failed?.call} — ${failed?.answer}`,
    steps,
  };
}

/** A probe never touches a credential's handle. */
const NO_HANDLES = {
  open: async () => null,
  save: async () => {
    throw new Error("a connection test stores nothing");
  },
};
