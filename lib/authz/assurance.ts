import type { Actor, AuthMethod } from "./actor";

/**
 * What an endpoint needs beyond the permission: how the person must have authenticated and how recently,
 * e.g. `{ method: "passkey", maxAgeSeconds: 300 }` before approving break-glass. Declared next to the
 * permission in defineAction/defineRoute; checked by the edge, which answers a miss with `step_up_required`.
 */
export type Assurance = {
  /** The sign-in must have used this method. */
  method?: AuthMethod;
  /** The sign-in (or the session's step-up) must be at most this old (the id_token's `auth_time`, else the moment of sign-in). */
  maxAgeSeconds?: number;
};

/**
 * The step-up every sensitive console action asks for: a passkey assertion within the last 5 minutes — a passkey
 * sign-in that recent, or a step-up ceremony in the session (lib/auth). Declared on actions
 * (`assurance: STEP_UP`), or checked in a service when only some cases need it (`requireAssurance`, ./step-up.ts).
 */
export const STEP_UP = { method: "passkey", maxAgeSeconds: 300 } as const satisfies Assurance;

/**
 * Whether the actor's authentication satisfies the requirement at `now`: the sign-in itself, or the session's
 * last step-up (always a passkey). The system actor is exempt (jobs have no person at a keyboard); a console user
 * without recorded authentication facts never satisfies one.
 */
export function meetsAssurance(actor: Actor, need: Assurance, now: Date): boolean {
  if (actor.kind === "system") return true;
  if (actor.kind !== "user" || !actor.auth) return false;
  const proofs: { method: AuthMethod; at: Date }[] = [{ method: actor.auth.method, at: actor.auth.authTime }];
  if (actor.auth.stepUpAt) proofs.push({ method: "passkey", at: actor.auth.stepUpAt });
  return proofs.some(
    (p) =>
      (!need.method || p.method === need.method) &&
      (need.maxAgeSeconds === undefined || (now.getTime() - p.at.getTime()) / 1000 <= need.maxAgeSeconds),
  );
}

/** "a passkey sign-in within the last 5 minutes": the words the step-up dialog and error messages use. */
export function describeAssurance(need: Assurance): string {
  const how = need.method ? `a ${METHOD_LABELS[need.method]} sign-in` : "a sign-in";
  return need.maxAgeSeconds === undefined ? how : `${how} within the last ${duration(need.maxAgeSeconds)}`;
}

const METHOD_LABELS: Record<AuthMethod, string> = { demo: "demo", oidc: "single sign-on", passkey: "passkey" };

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}

const plural = (n: number, unit: string) => (n === 1 ? unit : `${n} ${unit}s`);
