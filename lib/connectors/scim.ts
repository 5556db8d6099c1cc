import { failFor, secretFor, send } from "./http";
import {
  type AccountRef,
  type Connector,
  type ConnectorAction,
  ConnectorError,
  type ConnectorSystem,
  type ExecuteResult,
  type VerifyResult,
} from "./types";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const CONTENT_TYPE = "application/scim+json";

type ScimUser = { id: string; userName?: string; active?: boolean; externalId?: string };
type ScimGroup = { id: string; displayName?: string; members?: { value: string }[] };

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

  async findUser(account: AccountRef): Promise<ScimUser | null> {
    if (account.externalId) {
      const byExternal = await this.search<ScimUser>("Users", `externalId eq ${literal(account.externalId)}`);
      if (byExternal) return byExternal;
    }
    return this.search<ScimUser>("Users", `userName eq ${literal(account.username)}`);
  }

  async execute(action: ConnectorAction): Promise<ExecuteResult> {
    if (action.kind === "disable_account") return this.disable(action.account);
    if (action.kind === "remove_grant") return this.removeFromGroup(action.account, action.entitlement.name);
    throw new ConnectorError(`SCIM cannot ${action.kind.replace(/_/g, " ")}`, false);
  }

  async verify(action: ConnectorAction): Promise<VerifyResult> {
    if (action.kind === "remove_grant") return this.verifyNotInGroup(action.account, action.entitlement.name);
    if (action.kind !== "disable_account") throw new ConnectorError(`SCIM cannot verify ${action.kind}`, false);
    const user = await this.findUser(action.account);
    if (!user)
      return {
        verified: true,
        gone: true,
        how: "scim: no such user (not found) — gone",
        evidence: { userName: action.account.username },
      };
    const fresh = await this.json<ScimUser>("GET /Users/{id}", `/Users/${encodeURIComponent(user.id)}`);
    if (!fresh)
      return {
        verified: true,
        gone: true,
        how: `scim GET /Users/${user.id}: 404 — gone`,
        evidence: { scimId: user.id },
      };
    if (fresh.active === false)
      return {
        verified: true,
        how: `scim GET /Users/${user.id}: active=false`,
        evidence: { scimId: user.id, active: false },
      };
    return {
      verified: false,
      reason: `SCIM still reports ${action.account.username} as active`,
      evidence: { scimId: user.id, active: fresh.active },
    };
  }

  private async disable(account: AccountRef): Promise<ExecuteResult> {
    const user = await this.findUser(account);
    if (!user)
      return {
        outcome: "already_gone",
        detail: `no SCIM user ${account.username} on ${this.system.name}`,
        evidence: { userName: account.username },
      };
    const path = `/Users/${encodeURIComponent(user.id)}`;
    if (this.system.deprovisionMode === "delete") {
      const res = await this.call("DELETE /Users/{id}", path, { method: "DELETE" });
      if (res.status === 404)
        return {
          outcome: "already_gone",
          detail: `SCIM user ${user.id} was already deleted`,
          evidence: { scimId: user.id },
        };
      if (!res.ok) await failFor(`${this.system.name} SCIM DELETE /Users/{id}`, res);
      return { outcome: "done", detail: `DELETE /Users/${user.id}`, evidence: { scimId: user.id, mode: "delete" } };
    }
    const body = JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] });
    const patched = await this.json<ScimUser>("PATCH /Users/{id}", path, { method: "PATCH", body });
    if (!patched)
      return {
        outcome: "already_gone",
        detail: `SCIM user ${user.id} disappeared (404)`,
        evidence: { scimId: user.id },
      };
    return {
      outcome: "done",
      detail: `PATCH /Users/${user.id} active=false`,
      evidence: { scimId: user.id, mode: "deactivate", wasActive: user.active ?? null },
    };
  }

  private async removeFromGroup(account: AccountRef, groupName: string): Promise<ExecuteResult> {
    const [user, group] = await Promise.all([
      this.findUser(account),
      this.search<ScimGroup>("Groups", `displayName eq ${literal(groupName)}`),
    ]);
    if (!user)
      return {
        outcome: "already_gone",
        detail: `no SCIM user ${account.username}`,
        evidence: { userName: account.username },
      };
    if (!group)
      return { outcome: "already_gone", detail: `no SCIM group "${groupName}"`, evidence: { group: groupName } };
    const body = JSON.stringify({
      schemas: [PATCH_OP],
      Operations: [{ op: "remove", path: `members[value eq ${literal(user.id)}]` }],
    });
    const res = await this.call("PATCH /Groups/{id}", `/Groups/${encodeURIComponent(group.id)}`, {
      method: "PATCH",
      body,
    });
    if (res.status === 404)
      return { outcome: "already_gone", detail: `SCIM group ${group.id} is gone`, evidence: { groupId: group.id } };
    if (!res.ok) await failFor(`${this.system.name} SCIM PATCH /Groups/{id}`, res);
    return {
      outcome: "done",
      detail: `PATCH /Groups/${group.id} remove member ${user.id}`,
      evidence: { groupId: group.id, scimId: user.id },
    };
  }

  private async verifyNotInGroup(account: AccountRef, groupName: string): Promise<VerifyResult> {
    const [user, group] = await Promise.all([
      this.findUser(account),
      this.search<ScimGroup>("Groups", `displayName eq ${literal(groupName)}`),
    ]);
    if (!user) return { verified: true, gone: true, how: "scim: user not found — gone" };
    if (!group) return { verified: true, gone: true, how: `scim: group "${groupName}" not found — gone` };
    const fresh = await this.json<ScimGroup>("GET /Groups/{id}", `/Groups/${encodeURIComponent(group.id)}`);
    const member = (fresh?.members ?? []).some((m) => m.value === user.id);
    return member
      ? { verified: false, reason: `${account.username} is still a member of ${groupName}` }
      : {
          verified: true,
          how: `scim GET /Groups/${group.id}: not a member`,
          evidence: { groupId: group.id, scimId: user.id },
        };
  }
}
