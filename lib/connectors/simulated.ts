import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { simulatedTargetState } from "@/db/schema";
import type { Connector, ConnectorAction, ConnectorSystem, ExecuteResult, VerifyResult } from "./types";

/**
 * Where a simulated system keeps each kind of thing: a resource type and a key. Users by their external id
 * (else user name), sessions by the person's user name there, tokens by their external reference, everything
 * else by the inventory row it revokes —
 * the same keys the seed writes for revocations it pre-applies (db/seed/leaver-followup.ts).
 */
export function simulatedKey(action: ConnectorAction): { resource: string; key: string } {
  const ref = action.ref ? String(action.ref.id) : action.id;
  switch (action.kind) {
    case "disable_account":
      return { resource: "user", key: action.account.externalId ?? action.account.username };
    case "remove_grant":
      return { resource: "grant", key: ref };
    case "end_sessions":
      // Sessions belong to the person's user on that system (one task covers them all).
      return {
        resource: "sessions",
        key: action.account?.username ?? action.person.email ?? action.person.displayName,
      };
    case "remove_device_trust":
      return { resource: "device", key: String(action.device.id) };
    case "revoke_credential":
      return { resource: "token", key: action.credential.externalRef ?? String(action.credential.id) };
    case "remove_recovery_factor":
      return { resource: "factor", key: String(action.factor.id) };
  }
}

const VERB: Record<ConnectorAction["kind"], string> = {
  disable_account: "account disabled",
  remove_grant: "membership removed",
  end_sessions: "sessions ended",
  remove_device_trust: "device trust removed",
  revoke_credential: "token revoked",
  remove_recovery_factor: "recovery factor removed",
};

/**
 * A stand-in for a system's API, kept in the database (simulated_target_state): the seeded systems have no
 * real endpoints, so their connectors act here and the demo works end to end. Absent row = live, as seeded.
 * The UI and the revocation report say "Simulated" wherever one of these acted.
 */
export class SimulatedConnector implements Connector {
  readonly simulated = true;
  readonly kind: ConnectorSystem["kind"];

  constructor(
    private readonly system: ConnectorSystem,
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.kind = system.kind;
  }

  private async read(action: ConnectorAction) {
    const { resource, key } = simulatedKey(action);
    const [row] = await this.db
      .select({ active: simulatedTargetState.active })
      .from(simulatedTargetState)
      .where(
        and(
          eq(simulatedTargetState.systemId, this.system.id),
          eq(simulatedTargetState.resource, resource),
          eq(simulatedTargetState.externalKey, key),
        ),
      );
    return { resource, key, active: row ? row.active : true };
  }

  async execute(action: ConnectorAction): Promise<ExecuteResult> {
    const { resource, key, active } = await this.read(action);
    if (!active)
      return {
        outcome: "already_gone",
        detail: `simulated ${this.system.kind}: ${resource} ${key} already inactive`,
        evidence: { simulated: true, resource, key },
      };
    const changedAt = this.now();
    await this.db
      .insert(simulatedTargetState)
      .values({
        systemId: this.system.id,
        resource,
        externalKey: key,
        active: false,
        changedAt,
        changedByTaskId: Number(action.id) || null,
      })
      .onConflictDoUpdate({
        target: [simulatedTargetState.systemId, simulatedTargetState.resource, simulatedTargetState.externalKey],
        set: { active: false, changedAt, changedByTaskId: sql`excluded.changed_by_task_id` },
      });
    return {
      outcome: "done",
      detail: `simulated ${this.system.kind}: ${VERB[action.kind]}`,
      evidence: { simulated: true, resource, key },
    };
  }

  async verify(action: ConnectorAction): Promise<VerifyResult> {
    const { resource, key, active } = await this.read(action);
    return active
      ? {
          verified: false,
          reason: `simulated ${this.system.kind}: ${resource} ${key} is active`,
          evidence: { simulated: true },
        }
      : {
          verified: true,
          how: `${this.system.kind} re-read: ${resource} inactive`,
          evidence: { simulated: true, resource, key },
        };
  }
}

/** Makes a simulated target live again, as an upstream sync would (demo and drift tests). */
export async function reactivateSimulated(db: Db, systemId: number, action: ConnectorAction, at: Date): Promise<void> {
  const { resource, key } = simulatedKey(action);
  await db
    .insert(simulatedTargetState)
    .values({ systemId, resource, externalKey: key, active: true, changedAt: at })
    .onConflictDoUpdate({
      target: [simulatedTargetState.systemId, simulatedTargetState.resource, simulatedTargetState.externalKey],
      set: { active: true, changedAt: at },
    });
}
