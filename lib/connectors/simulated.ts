import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { simulatedTargetState } from "@/db/schema";
import type { Connector, ConnectorAction, ConnectorSystem, ExecuteResult, VerifyResult } from "./types";

/** One thing in a simulated system, and the state (live or not) the action wants it in. */
type Entry = { resource: string; key: string; wantLive: boolean };

/**
 * Where a simulated system keeps each kind of thing: a resource type and a key. Users by their external id
 * (else user name), sessions by the person's user name there, tokens by their external reference, memberships
 * a grant adds by entitlement and user, a token's scopes one row each, everything else by the inventory row it
 * changes — the same keys the seed writes for revocations it pre-applies (db/seed/leaver-followup.ts).
 */
function simulatedEntries(action: ConnectorAction): Entry[] {
  const ref = action.ref ? String(action.ref.id) : action.id;
  const off = (resource: string, key: string): Entry[] => [{ resource, key, wantLive: false }];
  switch (action.kind) {
    case "disable_account":
    case "delete_account":
      return off("user", action.account.externalId ?? action.account.username);
    case "add_grant":
      return [{ resource: "membership", key: `${action.entitlement.name}:${action.account.username}`, wantLive: true }];
    case "remove_grant":
      return off("grant", ref);
    case "end_sessions":
      // Sessions belong to the person's user on that system (one task covers them all).
      return off("sessions", action.account?.username ?? action.person.email ?? action.person.displayName);
    case "remove_device_trust":
      return off("device", String(action.device.id));
    case "revoke_credential":
      return off("token", tokenKey(action.credential));
    case "reduce_scopes":
      return action.dropScopes.map((s) => ({
        resource: "scope",
        key: `${tokenKey(action.credential)}:${s}`,
        wantLive: false,
      }));
    case "remove_recovery_factor":
      return off("factor", String(action.factor.id));
  }
}

const tokenKey = (c: { externalRef: string | null; id: number }) => c.externalRef ?? String(c.id);

/** What a resource is when the stand-in holds no row for it: seeded things are live, added memberships are not. */
const LIVE_BY_DEFAULT: Record<string, boolean> = { membership: false };

const VERB: Record<ConnectorAction["kind"], string> = {
  disable_account: "account disabled",
  delete_account: "account deleted",
  add_grant: "membership added",
  remove_grant: "membership removed",
  end_sessions: "sessions ended",
  remove_device_trust: "device trust removed",
  revoke_credential: "token revoked",
  reduce_scopes: "scopes dropped",
  remove_recovery_factor: "recovery factor removed",
};

/**
 * A stand-in for a system's API, kept in the database (simulated_target_state): the seeded systems have no
 * real endpoints, so their connectors act here and the demo works end to end. Absent row = as seeded (live).
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

  /** Each entry with whether it is live now. */
  private async read(entries: Entry[]): Promise<(Entry & { live: boolean })[]> {
    const rows = await this.db
      .select({
        resource: simulatedTargetState.resource,
        key: simulatedTargetState.externalKey,
        active: simulatedTargetState.active,
      })
      .from(simulatedTargetState)
      .where(
        and(
          eq(simulatedTargetState.systemId, this.system.id),
          inArray(
            simulatedTargetState.externalKey,
            entries.map((e) => e.key),
          ),
        ),
      );
    return entries.map((e) => {
      const row = rows.find((r) => r.resource === e.resource && r.key === e.key);
      return { ...e, live: row ? row.active : (LIVE_BY_DEFAULT[e.resource] ?? true) };
    });
  }

  async execute(action: ConnectorAction): Promise<ExecuteResult> {
    const entries = await this.read(simulatedEntries(action));
    const todo = entries.filter((e) => e.live !== e.wantLive);
    const evidence = { simulated: true, resources: entries.map((e) => `${e.resource} ${e.key}`) };
    if (todo.length === 0) {
      return { outcome: "already_gone", detail: `simulated ${this.system.kind}: already as wanted`, evidence };
    }
    const changedAt = this.now();
    await this.db
      .insert(simulatedTargetState)
      .values(
        todo.map((e) => ({
          systemId: this.system.id,
          resource: e.resource,
          externalKey: e.key,
          active: e.wantLive,
          changedAt,
          changedByTaskId: Number(action.id) || null,
        })),
      )
      .onConflictDoUpdate({
        target: [simulatedTargetState.systemId, simulatedTargetState.resource, simulatedTargetState.externalKey],
        set: { active: sql`excluded.active`, changedAt, changedByTaskId: sql`excluded.changed_by_task_id` },
      });
    return { outcome: "done", detail: `simulated ${this.system.kind}: ${VERB[action.kind]}`, evidence };
  }

  async verify(action: ConnectorAction): Promise<VerifyResult> {
    const entries = await this.read(simulatedEntries(action));
    const wrong = entries.find((e) => e.live !== e.wantLive);
    if (wrong) {
      return {
        verified: false,
        reason: `simulated ${this.system.kind}: ${wrong.resource} ${wrong.key} is ${wrong.live ? "live" : "absent"}`,
        evidence: { simulated: true },
      };
    }
    const state = entries.every((e) => e.wantLive) ? "present" : "inactive";
    return {
      verified: true,
      how: `${this.system.kind} re-read: ${entries[0]?.resource ?? "target"} ${state}`,
      evidence: { simulated: true, resources: entries.map((e) => `${e.resource} ${e.key}`) },
    };
  }
}
