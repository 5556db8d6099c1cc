import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { currentActor } from "@/lib/session";
import { type ActionResult, type ActionSpec, type EdgeMeta, metaOf, requestFacts, runAction } from "./core";

/**
 * `meta` names the permission (tooling reads it); `spec` is the definition itself, so tests can drive it
 * through `runAction(spec, actor, input)`, the same path the action takes, with any actor.
 */
export type ServerAction<S extends z.ZodType, T> = ((input: z.input<S>) => Promise<ActionResult<T>>) & {
  meta: EdgeMeta;
  spec: ActionSpec<S, T>;
};

/**
 * The one way to write a server action: `export const closeCase = defineAction({ name, permission, input, run })`,
 * plus `assurance` when the action needs a recent or stronger sign-in. The action resolves the session, checks
 * the permission and the assurance, validates input and maps errors to `{ ok: false, code, message }`; `run`
 * calls a lib service, which checks again and scopes its data.
 */
export function defineAction<S extends z.ZodType, T>(spec: ActionSpec<S, T>): ServerAction<S, T> {
  const action = async (input: z.input<S>) =>
    runAction(spec, await currentActor(), input, requestFacts(await headers()));
  return Object.assign(action, { meta: metaOf(spec), spec });
}
