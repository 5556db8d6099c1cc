import type { Role } from "./roles";

/** Who is acting: a signed-in console user, or the system (scheduled jobs, workers). */
export type Actor =
  | { kind: "user"; id: number; name: string; email: string | null; roles: readonly Role[] }
  | { kind: "system"; id: null; name: string; roles: readonly Role[] };

export const SYSTEM_ACTOR: Actor = { kind: "system", id: null, name: "system", roles: [] };

export function userActor(id: number, name: string, roles: readonly Role[], email: string | null = null): Actor {
  return { kind: "user", id, name, email, roles };
}
