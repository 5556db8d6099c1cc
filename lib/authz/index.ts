import { Forbidden } from "@/lib/errors";
import type { Actor } from "./actor";
import { type Permission, ROLE_PERMISSIONS } from "./permissions";
import type { Role } from "./roles";

export * from "./actor";
export * from "./permissions";
export * from "./roles";
export * from "./scope";

/** The system actor (jobs) acts under the permissions its job was written for; users by their roles. */
export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === "system") return true;
  return actor.roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}

export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new Forbidden(`Your roles do not allow ${describe(permission)}.`);
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.includes(role);
}

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r]));
}

function describe(permission: Permission): string {
  return permission.replace(".", ": ").replace(/_/g, " ");
}
