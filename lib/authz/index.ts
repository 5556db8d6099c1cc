import { Forbidden } from "@/lib/errors";
import type { Actor } from "./actor";
import { type ConsolePermission, can, type Permission, ROLE_PERMISSIONS } from "./permissions";
import type { Role } from "./roles";

export * from "./actor";
export * from "./assurance";
export * from "./permissions";
export * from "./roles";
export * from "./scope";
export * from "./step-up";

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
