import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { currentActor } from "@/lib/session";
import { type ActionResult, type ActionSpec, type EdgeMeta, runAction } from "./edge";

export type { ActionResult };

/**
 * `meta` names the permission (tooling reads it); `spec` is the definition itself, so tests can drive it
 * through `runAction(spec, actor, input)`, the same path the action takes, with any actor.
 */
export type ServerAction<S extends z.ZodType, T> = ((input: z.input<S>) => Promise<ActionResult<T>>) & {
  meta: EdgeMeta;
  spec: ActionSpec<S, T>;
};

/** Request facts for the audit log. */
export async function requestFacts() {
  const h = await headers();
  return {
    ip: h.get("x-forwarded-for")?.split(",")[0]?.trim() || h.get("x-real-ip") || undefined,
    userAgent: h.get("user-agent") ?? undefined,
  };
}

/**
 * The one way to write a server action: `export const closeCase = defineAction({ name, permission, input, run })`.
 * The action resolves the session, checks the permission, validates input and maps errors to
 * `{ ok: false, code, message }`; `run` calls a lib service, which checks again and scopes its data.
 */
export function defineAction<S extends z.ZodType, T>(spec: ActionSpec<S, T>): ServerAction<S, T> {
  const action = async (input: z.input<S>) => runAction(spec, await currentActor(), input, await requestFacts());
  return Object.assign(action, { meta: { name: spec.name, permission: spec.permission }, spec });
}
