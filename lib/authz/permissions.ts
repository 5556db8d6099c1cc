import type { Actor, MachineClient } from "./actor";
import type { Role } from "./roles";

/**
 * Every permission the product checks. Pages, server actions and route handlers name one of these;
 * the two matrices below are the only place that says who holds it.
 */
export const CONSOLE_PERMISSIONS = [
  "dashboard.view",
  "people.read",
  "people.export",
  "leavers.read",
  "leavers.manage",
  "leavers.handover",
  "remediation.manage",
  "remediation.waive",
  "factors.aggregate",
  "factors.people",
  "factors.manage",
  "api_scopes.read",
  "api_scopes.manage",
  /**
   * A credential's secret material: register its revocation handle (a token, an OAuth client's RFC 7592
   * registration) and rotate an OAuth client's secret. Administrators only, after a step-up.
   */
  "api_scopes.handles",
  "imports.run",
  "reviews.read",
  "reviews.decide",
  "reviews.manage",
  "break_glass.request",
  /** Ask for account recovery on behalf of a locked-out person (who cannot sign in to ask). */
  "break_glass.request_for",
  "break_glass.read",
  "break_glass.approve",
  "audit.read",
  "systems.read",
  "systems.manage",
  "policies.manage",
  "roles.manage",
  // Your own console account's security — passkeys (enrol, rename, remove, step up) and sign-in sessions (list,
  // sign out everywhere): every console user, for themself only.
  "passkeys.manage",
] as const;
export type ConsolePermission = (typeof CONSOLE_PERMISSIONS)[number];

/** What machine clients may do through their own endpoints (SCIM 2.0, Shared Signals streams). */
export const MACHINE_PERMISSIONS = ["scim.provision", "ssf.manage", "ssf.read", "audit.checkpoints"] as const;
export type MachinePermission = (typeof MACHINE_PERMISSIONS)[number];

export const PERMISSIONS = [...CONSOLE_PERMISSIONS, ...MACHINE_PERMISSIONS] as const;
export type Permission = ConsolePermission | MachinePermission;

const ALL: readonly ConsolePermission[] = CONSOLE_PERMISSIONS;

// The value types keep the two worlds apart at compile time: no role can be given a machine permission,
// no machine client a console one.
export const ROLE_PERMISSIONS: Record<Role, readonly ConsolePermission[]> = {
  analyst: [
    "dashboard.view",
    "people.read",
    "people.export",
    "leavers.read",
    "leavers.manage",
    "leavers.handover",
    "remediation.manage",
    "factors.aggregate",
    "factors.people",
    // Importing factor exports (Entra, Okta) changes people's factors; lifting ambiguous methods is a policy.
    "factors.manage",
    "api_scopes.read",
    "api_scopes.manage",
    // The gate to the import pipeline's endpoints; every run also needs its kind's own permission.
    "imports.run",
    "reviews.read",
    "reviews.decide",
    "reviews.manage",
    "break_glass.request",
    "break_glass.request_for",
    "break_glass.read",
    "audit.read",
    "systems.read",
    "passkeys.manage",
  ],
  // Managers act on their own reports and what their team owns (data scoping in ./scope.ts).
  manager: [
    "dashboard.view",
    "people.read",
    "leavers.read",
    "leavers.handover",
    "factors.aggregate",
    // The people behind a heatmap cell, within their team (lib/factors/people.ts scopes it): not their export.
    "factors.people",
    "api_scopes.read",
    "reviews.read",
    "reviews.decide",
    "break_glass.request",
    "passkeys.manage",
  ],
  approver: ["dashboard.view", "break_glass.request", "break_glass.read", "break_glass.approve", "passkeys.manage"],
  // Executives see aggregates only: no permission here returns a person's record.
  executive: ["dashboard.view", "factors.aggregate", "passkeys.manage"],
  // Administrators hold everything except approving break-glass: two-person control stays with approvers.
  admin: ALL.filter((p) => p !== "break_glass.approve"),
};

/** Per machine client kind; `ssf.manage` / `ssf.read` are the OAuth scopes SSF 1.0 names for stream receivers. */
export const MACHINE_CLIENT_PERMISSIONS: Record<MachineClient, readonly MachinePermission[]> = {
  provisioning: ["scim.provision"],
  ssf_receiver: ["ssf.manage", "ssf.read"],
  // An external monitor polls the audit chain's signed checkpoints (and nothing else: no record of anyone).
  audit_monitor: ["audit.checkpoints"],
};

/**
 * The system actor (jobs) acts under the permissions its job was written for; users by their roles; machine
 * clients by their client kind, which holds machine permissions only.
 */
export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === "system") return true;
  if (actor.kind === "machine")
    return (MACHINE_CLIENT_PERMISSIONS[actor.client] as readonly string[]).includes(permission);
  return actor.roles.some((role) => (ROLE_PERMISSIONS[role] as readonly string[]).includes(permission));
}
