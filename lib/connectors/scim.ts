import { failFor, probeCall, secretFor, send } from "./http";
import {
  type AccountRef,
  type Connector,
  type ConnectorAction,
  ConnectorError,
  type ConnectorSystem,
  type ExecuteResult,
  type ProbeStep,
  type VerifyResult,
} from "./types";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const CONTENT_TYPE = "application/scim+json";

type ScimUser = {
  id: string;
  userName?: string;
  active?: boolean;
  externalId?: string;
  displayName?: string;
  emails?: { value?: string; primary?: boolean; type?: string }[];
};
type ScimGroup = { id: string; displayName?: string; members?: { value: string }[] };

/** One page of a SCIM list (RFC 7644 §3.4.2.4): its resources and the total the system announced. */
export type ScimPage<T> = { resources: T[]; totalResults: number };
export type ScimListedUser = ScimUser;
export type ScimListedGroup = ScimGroup;

/** A SCIM filter string literal: RFC 7644 uses JSON string escaping inside double quotes. */
const literal = (value: string) => JSON.stringify(value);

/**
 * SCIM 2.0 (RFC 7644) deprovisioning: find the user by externalId, then by userName; PATCH active=false
 * (or DELETE when the system is set to delete); verify by reading the user back (404 = gone, recorded as such).
 * Group membership removal serves `remove_grant` when the entitlement is a SCIM group of the same name.
 */
export class ScimConnector implements Connector {
  readonly kind = "scim" as const;
  readonly simulated = false;
  private readonly base: string;
  private readonly timeoutMs?: number;

  constructor(
    private readonly system: ConnectorSystem,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.base = (system.config.baseUrl ?? "").replace(/\/+$/, "");
    this.timeoutMs = system.config.timeoutMs;
  }

  private async call(what: string, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = {
      accept: CONTENT_TYPE,
      authorization: `Bearer ${secretFor(this.system.config.secretEnv, this.env)}`,
      ...(init.body ? { "content-type": CONTENT_TYPE } : {}),
    };
    return send(`${this.system.name} SCIM ${what}`, `${this.base}${path}`, {
      ...init,
      headers,
      timeoutMs: this.timeoutMs,
    });
  }

  /**
   * A connection test that changes nothing: the ServiceProviderConfig (RFC 7644 §5: what the target supports),
   * then one page of one user, which proves the bearer token is accepted (the configuration may be public).
   */
  async probe(): Promise<ProbeStep[]> {
    if (!this.base)
      return [
        {
          call: "GET /ServiceProviderConfig",
          url: "",
          status: null,
          latencyMs: 0,
          ok: false,
          answer: "SCIM base URL is not configured",
        },
      ];
    let authorization: string;
    try {
      authorization = `Bearer ${secretFor(this.system.config.secretEnv, this.env)}`;
    } catch (err) {
      return [
        {
          call: "GET /ServiceProviderConfig",
          url: `${this.base}/ServiceProviderConfig`,
          status: null,
          latencyMs: 0,
          ok: false,
          answer: (err as Error).message,
        },
      ];
    }
    const init = { method: "GET", headers: { accept: CONTENT_TYPE, authorization }, timeoutMs: this.timeoutMs };
    type Spc = {
      patch?: { supported?: boolean };
      filter?: { supported?: boolean; maxResults?: number };
      bulk?: { supported?: boolean };
      authenticationSchemes?: { name?: string; type?: string }[];
    };
    const yes = (v: boolean | undefined) => (v ? "yes" : "no");
    return [
      await probeCall("GET /ServiceProviderConfig", `${this.base}/ServiceProviderConfig`, init, (b) => {
        const c = b as Spc;
        const auth = (c.authenticationSchemes ?? []).map((a) => a.name ?? a.type).filter(Boolean);
        return `PATCH ${yes(c.patch?.supported)}, filter ${yes(c.filter?.supported)}${
          c.filter?.maxResults ? ` (max ${c.filter.maxResults})` : ""
        }, bulk ${yes(c.bulk?.supported)}${auth.length ? `; authentication: ${auth.join(", ")}` : ""}`;
      }),
      await probeCall("GET /Users (one)", `${this.base}/Users?startIndex=1&count=1`, init, (b) => {
        const total = (b as { totalResults?: unknown })?.totalResults;
        return `bearer token accepted; ${typeof total === "number" ? `${total} users` : "a list came back"}`;
      }),
    ];
  }

  private async json<T>(what: string, path: string, init?: RequestInit): Promise<T | null> {
    const res = await this.call(what, path, init);
    if (res.status === 404) return null;
    if (!res.ok) await failFor(`${this.system.name} SCIM ${what}`, res);
    return res.status === 204 ? ({} as T) : ((await res.json()) as T);
  }

  private async search<T>(resource: "Users" | "Groups", filter: string): Promise<T | null> {
    const q = new URLSearchParams({ filter });
    const list = await this.json<{ Resources?: T[]; totalResults?: number }>(
      `GET /${resource}?filter`,
      `/${resource}?${q}`,
    );
    const found = list?.Resources ?? [];
    if (found.length > 1)
      throw new ConnectorError(
        `${this.system.name} SCIM: ${found.length} ${resource} match ${filter}; refusing to guess`,
        false,
      );
    return found[0] ?? null;
  }

  /**
   * One page of every user or group (reconciliation reads them all): `startIndex` is 1-based, `count` the page
   * size asked for (a system may answer fewer; the caller moves on by what it got).
   */
  async listPage<R extends "Users" | "Groups">(
    resource: R,
    startIndex: number,
    count: number,
  ): Promise<ScimPage<R extends "Users" ? ScimUser : ScimGroup>> {
    const q = new URLSearchParams({ startIndex: String(startIndex), count: String(count) });
    const list = await this.json<{ Resources?: unknown[]; totalResults?: number }>(
      `GET /${resource}?startIndex`,
      `/${resource}?${q}`,
    );
    if (!list) throw new ConnectorError(`${this.system.name} SCIM: GET /${resource} answered 404`, false, 404);
    const resources = (list.Resources ?? []) as (R extends "Users" ? ScimUser : ScimGroup)[];
    return { resources, totalResults: Number(list.totalResults ?? resources.length) };
  }

  async findUser(account: AccountRef): Promise<ScimUser | null> {
    if (account.externalId) {
      const byExternal = await this.search<ScimUser>("Users", `externalId eq ${literal(account.externalId)}`);
      if (byExternal) return byExternal;
    }
    return this.search<ScimUser>("Users", `userName eq ${literal(account.username)}`);
  }

  async execute(action: ConnectorAction): Promise<ExecuteResult> {
    switch (action.kind) {
      case "disable_account":
        return this.system.deprovisionMode === "delete" ? this.remove(action.account) : this.disable(action.account);
      case "delete_account":
        return this.remove(action.account);
      case "add_grant":
        return this.changeMembership("add", action.account, action.entitlement.name);
      case "remove_grant":
        return this.changeMembership("remove", action.account, action.entitlement.name);
      default:
        throw new ConnectorError(`SCIM cannot ${action.kind.replace(/_/g, " ")}`, false);
    }
  }

  async verify(action: ConnectorAction): Promise<VerifyResult> {
    switch (action.kind) {
      case "disable_account":
      case "delete_account":
        return this.verifyInactive(action.account, action.kind === "delete_account");
      case "add_grant":
        return this.verifyMembership(true, action.account, action.entitlement.name);
      case "remove_grant":
        return this.verifyMembership(false, action.account, action.entitlement.name);
      default:
        throw new ConnectorError(`SCIM cannot verify ${action.kind.replace(/_/g, " ")}`, false);
    }
  }

  /** Re-reads the user: 404 (gone) proves a delete or a disable; active=false proves a disable only. */
  private async verifyInactive(account: AccountRef, mustBeGone: boolean): Promise<VerifyResult> {
    const user = await this.findUser(account);
    if (!user) {
      return {
        verified: true,
        gone: true,
        how: "scim: no such user (not found) — gone",
        evidence: { userName: account.username },
      };
    }
    const fresh = await this.json<ScimUser>("GET /Users/{id}", `/Users/${encodeURIComponent(user.id)}`);
    if (!fresh) {
      return {
        verified: true,
        gone: true,
        how: `scim GET /Users/${user.id}: 404 — gone`,
        evidence: { scimId: user.id },
      };
    }
    if (fresh.active === false && !mustBeGone) {
      return {
        verified: true,
        how: `scim GET /Users/${user.id}: active=false`,
        evidence: { scimId: user.id, active: false },
      };
    }
    return {
      verified: false,
      reason: mustBeGone
        ? `SCIM still has the user ${account.username}`
        : `SCIM still reports ${account.username} as active`,
      evidence: { scimId: user.id, active: fresh.active },
    };
  }

  private async disable(account: AccountRef): Promise<ExecuteResult> {
    const user = await this.findUser(account);
    if (!user) return this.noUser(account);
    const path = `/Users/${encodeURIComponent(user.id)}`;
    const body = JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] });
    const patched = await this.json<ScimUser>("PATCH /Users/{id}", path, { method: "PATCH", body });
    if (!patched) {
      return {
        outcome: "already_gone",
        detail: `SCIM user ${user.id} disappeared (404)`,
        evidence: { scimId: user.id },
      };
    }
    return {
      outcome: "done",
      detail: `PATCH /Users/${user.id} active=false`,
      evidence: { scimId: user.id, mode: "deactivate", wasActive: user.active ?? null },
    };
  }

  private async remove(account: AccountRef): Promise<ExecuteResult> {
    const user = await this.findUser(account);
    if (!user) return this.noUser(account);
    const res = await this.call("DELETE /Users/{id}", `/Users/${encodeURIComponent(user.id)}`, { method: "DELETE" });
    if (res.status === 404) {
      return {
        outcome: "already_gone",
        detail: `SCIM user ${user.id} was already deleted`,
        evidence: { scimId: user.id },
      };
    }
    if (!res.ok) await failFor(`${this.system.name} SCIM DELETE /Users/{id}`, res);
    return { outcome: "done", detail: `DELETE /Users/${user.id}`, evidence: { scimId: user.id, mode: "delete" } };
  }

  private noUser(account: AccountRef): ExecuteResult {
    return {
      outcome: "already_gone",
      detail: `no SCIM user ${account.username} on ${this.system.name}`,
      evidence: { userName: account.username },
    };
  }

  private findGroup(name: string): Promise<ScimGroup | null> {
    return this.search<ScimGroup>("Groups", `displayName eq ${literal(name)}`);
  }

  /**
   * An entitlement is a SCIM group of the same name. Adding needs the user and the group to exist (an emergency
   * grant to nobody is an error a person must see); removing treats a missing user or group as already gone.
   */
  private async changeMembership(op: "add" | "remove", account: AccountRef, groupName: string): Promise<ExecuteResult> {
    const [user, group] = await Promise.all([this.findUser(account), this.findGroup(groupName)]);
    if (op === "add" && (!user || !group)) {
      const missing = !user ? `no SCIM user ${account.username}` : `no SCIM group "${groupName}"`;
      throw new ConnectorError(`${this.system.name}: cannot add the membership: ${missing}`, false);
    }
    if (!user) return this.noUser(account);
    if (!group)
      return { outcome: "already_gone", detail: `no SCIM group "${groupName}"`, evidence: { group: groupName } };
    const operation =
      op === "add"
        ? { op: "add", path: "members", value: [{ value: user.id }] }
        : { op: "remove", path: `members[value eq ${literal(user.id)}]` };
    const body = JSON.stringify({ schemas: [PATCH_OP], Operations: [operation] });
    const path = `/Groups/${encodeURIComponent(group.id)}`;
    const res = await this.call("PATCH /Groups/{id}", path, { method: "PATCH", body });
    if (res.status === 404 && op === "remove") {
      return { outcome: "already_gone", detail: `SCIM group ${group.id} is gone`, evidence: { groupId: group.id } };
    }
    if (!res.ok) await failFor(`${this.system.name} SCIM PATCH /Groups/{id}`, res);
    return {
      outcome: "done",
      detail: `PATCH /Groups/${group.id} ${op} member ${user.id}`,
      evidence: { groupId: group.id, scimId: user.id },
    };
  }

  /** Reads the group back and checks the user's membership is as intended. */
  private async verifyMembership(wanted: boolean, account: AccountRef, groupName: string): Promise<VerifyResult> {
    const [user, group] = await Promise.all([this.findUser(account), this.findGroup(groupName)]);
    if (!user || !group) {
      const what = !user ? "user" : `group "${groupName}"`;
      return wanted
        ? { verified: false, reason: `scim: ${what} not found` }
        : { verified: true, gone: true, how: `scim: ${what} not found — gone` };
    }
    const fresh = await this.json<ScimGroup>("GET /Groups/{id}", `/Groups/${encodeURIComponent(group.id)}`);
    const member = (fresh?.members ?? []).some((m) => m.value === user.id);
    if (member === wanted) {
      return {
        verified: true,
        how: `scim GET /Groups/${group.id}: ${wanted ? "a member" : "not a member"}`,
        evidence: { groupId: group.id, scimId: user.id },
      };
    }
    return { verified: false, reason: `${account.username} is ${member ? "still" : "not"} a member of ${groupName}` };
  }
}
