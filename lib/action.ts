import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { currentActor } from "@/lib/session";
import { type ActionResult, type ActionSpec, type EdgeMeta, runAction } from "./edge";

export type { ActionResult };

export type ServerAction<I, T> = ((input: I) => Promise<ActionResult<T>>) & { meta: EdgeMeta };

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
export function defineAction<S extends z.ZodType, T>(spec: ActionSpec<S, T>): ServerAction<z.input<S>, T> {
  const action = async (input: z.input<S>) => runAction(spec, await currentActor(), input, await requestFacts());
  return Object.assign(action, { meta: { name: spec.name, permission: spec.permission } });
}
