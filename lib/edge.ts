import { z } from "zod";
import { getDb } from "@/db/client";
import { type Actor, authorize, type Permission } from "@/lib/authz";
import { type Ctx, makeCtx } from "@/lib/context";
import { type Failure, Invalid, toFailure, Unauthenticated } from "@/lib/errors";

/**
 * What server actions and route handlers share, free of Next.js so tests can drive it with any actor:
 * authenticate, authorize by permission, parse input with zod, run the service, map errors once.
 */
export type ActionResult<T> = { ok: true; data: T } | Failure;

export type EdgeMeta = { name: string; permission: Permission };

export type ActionSpec<S extends z.ZodType, T> = EdgeMeta & {
  input: S;
  run: (args: { ctx: Ctx; input: z.output<S> }) => Promise<T>;
};

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error);
    const fieldErrors = flat.fieldErrors as Record<string, string[]>;
    const first = flat.formErrors[0] ?? Object.entries(fieldErrors).map(([k, v]) => `${k}: ${v[0]}`)[0];
    throw new Invalid(first ? `Invalid input — ${first}` : "Invalid input.", fieldErrors);
  }
  return parsed.data;
}

export function assertAllowed(actor: Actor | null, permission: Permission): Actor {
  if (!actor) throw new Unauthenticated();
  authorize(actor, permission);
  return actor;
}

/** Next.js signals redirect()/forbidden()/notFound() by throwing; those must pass through untouched. */
export function isNextSignal(err: unknown): boolean {
  const digest = (err as { digest?: unknown })?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
}

export async function runAction<S extends z.ZodType, T>(
  spec: ActionSpec<S, T>,
  actor: Actor | null,
  raw: unknown,
  request?: Ctx["request"],
): Promise<ActionResult<T>> {
  try {
    const allowed = assertAllowed(actor, spec.permission);
    const input = parseInput(spec.input, raw);
    const ctx = makeCtx(allowed, await getDb(), new Date(), request);
    return { ok: true, data: await spec.run({ ctx, input }) };
  } catch (err) {
    if (isNextSignal(err)) throw err;
    return toFailure(err);
  }
}
