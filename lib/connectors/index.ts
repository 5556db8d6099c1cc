import type { Db } from "@/db/client";
import { openHandle, storeHandle } from "./handles";
import { OAuthConnector } from "./oauth";
import { ScimConnector } from "./scim";
import { SimulatedConnector } from "./simulated";
import { type Connector, ConnectorError, type ConnectorSystem } from "./types";
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
      return new OAuthConnector(
        system,
        { open: (id) => openHandle(db, id), save: (id, handle) => storeHandle(db, id, handle) },
        opts.env,
      );
    case "webhook":
      return new WebhookConnector(system, opts.env);
  }
}
