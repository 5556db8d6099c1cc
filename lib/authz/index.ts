import { Forbidden } from "@/lib/errors";
import type { Actor } from "./actor";
import { type ConsolePermission, MACHINE_CLIENT_PERMISSIONS, type Permission, ROLE_PERMISSIONS } from "./permissions";
import type { Role } from "./roles";

export * from "./actor";
export * from "./assurance";
export * from "./permissions";
export * from "./roles";
export * from "./scope";
export * from "./step-up";

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

export function authorize(actor: Actor, permission: Permission): void {
  if (can(actor, permission)) return;
  throw new Forbidden(
    actor.kind === "machine"
      ? `This client is not allowed ${phrase(permission)}.`
      : `Your roles do not allow ${phrase(permission)}.`,
  );
}

export function permissionsOf(roles: readonly Role[]): Set<ConsolePermission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r]));
}

function phrase(permission: Permission): string {
  return permission.replace(".", ": ").replace(/_/g, " ");
}
