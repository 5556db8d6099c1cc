import type { MachineActor } from "@/lib/authz";

/** Turns a request's credentials into a machine actor, or null when it carries none that are valid. */
export type MachineActorResolver = (request: Request) => Promise<MachineActor | null>;

/**
 * The one place a bearer token becomes a machine actor. No machine client has a token yet (SCIM provisioning
 * clients and Shared Signals receivers bring theirs in later issues), so today every request is refused.
 */
export const resolveMachineActor: MachineActorResolver = async () => null;
