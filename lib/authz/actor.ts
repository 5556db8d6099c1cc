import { machineClientKind } from "@/db/schema/enums";
import type { Role } from "./roles";

/** How a console user signed in: a demo persona, the organisation's IdP (OIDC), or one of their console passkeys. */
export type AuthMethod = "demo" | "oidc" | "passkey";

/**
 * How and when the person behind a console session authenticated, recorded at sign-in: the method, the IdP's
 * `acr` and `amr` claims when it sent them, and `authTime` (the id_token's `auth_time`, else the sign-in). A later
 * step-up (a passkey assertion within the session, lib/auth) adds `stepUpAt` and leaves the sign-in facts alone.
 */
export type Authentication = {
  method: AuthMethod;
  acr: string | null;
  amr: readonly string[];
  authTime: Date;
  /** The last passkey step-up in this session. */
  stepUpAt?: Date;
};

/** Machine clients authenticate with their own bearer tokens and hold only machine permissions. */
export const MACHINE_CLIENTS = machineClientKind.enumValues;
export type MachineClient = (typeof MACHINE_CLIENTS)[number];

/** A signed-in console user; `auth` is absent for actors not built from a session (tests, sign-in audit). */
export type UserActor = {
  kind: "user";
  id: number;
  name: string;
  email: string | null;
  roles: readonly Role[];
  auth?: Authentication;
};
export type SystemActor = { kind: "system"; id: null; name: string; roles: readonly Role[] };
/**
 * A machine client (SCIM provisioning client, Shared Signals receiver). `id` stays null because everywhere else
 * `actor.id` is an identity id (audit actor, closed_by_id …); the client's own row id is `clientId`.
 */
export type MachineActor = { kind: "machine"; id: null; clientId: number; name: string; client: MachineClient };

/** Who is acting: a signed-in console user, the system (scheduled jobs, workers), or a machine client. */
export type Actor = UserActor | SystemActor | MachineActor;

export const SYSTEM_ACTOR: SystemActor = { kind: "system", id: null, name: "system", roles: [] };

export function userActor(
  id: number,
  name: string,
  roles: readonly Role[],
  email: string | null = null,
  auth?: Authentication,
): UserActor {
  return auth ? { kind: "user", id, name, email, roles, auth } : { kind: "user", id, name, email, roles };
}

export function machineActor(clientId: number, name: string, client: MachineClient): MachineActor {
  return { kind: "machine", id: null, clientId, name, client };
}
