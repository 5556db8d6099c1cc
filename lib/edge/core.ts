import "server-only";
import { z } from "zod";
import { getDb } from "@/db/client";
import { type Actor, type Assurance, authorize, meetsAssurance, type Permission } from "@/lib/authz";
import { type Ctx, makeCtx } from "@/lib/context";
import {
  type Failure,
  Forbidden,
  HTTP_STATUS,
  Invalid,
  StepUpRequired,
  toFailure,
  Unauthenticated,
} from "@/lib/errors";
import type { EventName } from "@/lib/events/catalog";
import { type MachineActorResolver, resolveMachineActor } from "./machine";
import { consumeRateLimit, type RateLimitName } from "./rate-limit";

/**
 * What server actions and route handlers share, free of Next.js so tests can drive it with any actor. Every
 * call passes the same gate in the same order: who is calling (401), may they (403), did they authenticate
 * strongly and recently enough (401 step_up_required), is the input valid (400); then the service runs and
 * whatever it throws is mapped once.
 */
export type ActionResult<T> = { ok: true; data: T } | Failure;

/** Who may call: console users with a session (the default), or machine clients with a bearer token. */
type Audience = "console" | "machine";

type Gate = {
  name: EventName;
  permission: Permission;
  actors?: Audience;
  assurance?: Assurance;
  rateLimit?: RateLimitName;
};

/** What tooling (and the authz sweep test) reads from an endpoint without calling it. */
export type EdgeMeta = { name: EventName; permission: Permission; actors: Audience; assurance?: Assurance };

export type ActionSpec<S extends z.ZodType, T> = {
  /** The event this action records (or, for a read, names): one vocabulary with the audit log (lib/events). */
  name: EventName;
  permission: Permission;
  assurance?: Assurance;
  /** Throttled per person (lib/edge/rate-limit.ts): beyond the limit, `rate_limited` with the seconds to wait. */
  rateLimit?: RateLimitName;
  input: S;
  run: (args: { ctx: Ctx; input: z.output<S> }) => Promise<T>;
};

type Schema = z.ZodType | undefined;
/** What the handler receives for a part of the request: parsed when a schema is declared, else nothing. */
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** Machine routes cannot ask for a person's assurance: there is no person behind a bearer token. */
type RouteAudience = { actors?: "console"; assurance?: Assurance } | { actors: "machine"; assurance?: undefined };

export type RouteSpec<Q extends Schema = undefined, P extends Schema = undefined, B extends Schema = undefined> = {
  /** The event this route records (an export) or names (a read), from the catalogue in lib/events. */
  name: EventName;
  permission: Permission;
  /** The query string as an object (a repeated key keeps its last value). */
  query?: Q;
  /** The dynamic segments of the path, e.g. `{ id }` for `[id]`. */
  params?: P;
  /** JSON when the content type says so (`application/json`, `application/scim+json`), else the raw text. */
  body?: B;
  /**
   * A protocol's own error answer (SCIM's `urn:ietf:params:scim:api:messages:2.0:Error` body) instead of
   * `{ ok: false, code, message }`, for everything this route refuses or throws — the gate's refusals too. It
   * must not leak an unexpected exception's message (map it through `toFailure`, which logs and hides it).
   */
  errors?: (err: unknown) => Response;
  /** Throttled per person or machine client (lib/edge/rate-limit.ts): beyond the limit, 429 with Retry-After. */
  rateLimit?: RateLimitName;
  handler(args: {
    ctx: Ctx;
    request: Request;
    query: Parsed<Q>;
    params: Parsed<P>;
    body: Parsed<B>;
  }): Promise<Response>;
} & RouteAudience;

/** Any route spec, for code that handles them without knowing their schemas (the sweep test). */
export type AnyRouteSpec = RouteSpec<Schema, Schema, Schema>;

export function metaOf(spec: Gate): EdgeMeta {
  const meta: EdgeMeta = { name: spec.name, permission: spec.permission, actors: spec.actors ?? "console" };
  return spec.assurance ? { ...meta, assurance: spec.assurance } : meta;
}

/** Next.js signals redirect()/forbidden()/notFound() by throwing; those must pass through untouched. */
function isNextSignal(err: unknown): boolean {
  const digest = (err as { digest?: unknown })?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
}

/** Request facts for the audit log. */
export function requestFacts(headers: Pick<Headers, "get">): Ctx["request"] {
  return {
    ip: headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || undefined,
    userAgent: headers.get("user-agent") ?? undefined,
  };
}

export async function runAction<S extends z.ZodType, T>(
  spec: ActionSpec<S, T>,
  actor: Actor | null,
  raw: unknown,
  request?: Ctx["request"],
): Promise<ActionResult<T>> {
  try {
    const now = new Date();
    const allowed = admit(actor, spec, now);
    if (spec.rateLimit) await consumeRateLimit(spec.rateLimit, throttleSubject(allowed, request));
    const input = parse(spec.input, raw);
    return { ok: true, data: await spec.run({ ctx: makeCtx(allowed, await getDb(), now, request), input }) };
  } catch (err) {
    if (isNextSignal(err)) throw err;
    return toFailure(err);
  }
}

/**
 * `actor` is the console session's actor; a route for machines ignores it and asks `resolveMachine` for the
 * caller behind the request's bearer token instead (tests pass a fake resolver).
 */
export async function runRoute<Q extends Schema, P extends Schema, B extends Schema>(
  spec: RouteSpec<Q, P, B>,
  actor: Actor | null,
  request: Request,
  context: { params: Promise<unknown> },
  resolveMachine: MachineActorResolver = resolveMachineActor,
): Promise<Response> {
  const forMachines = spec.actors === "machine";
  try {
    const now = new Date();
    const allowed = admit(forMachines ? await resolveMachine(request) : actor, spec, now);
    const facts = requestFacts(request.headers);
    if (spec.rateLimit) await consumeRateLimit(spec.rateLimit, throttleSubject(allowed, facts));
    const query = spec.query && parse(spec.query, Object.fromEntries(new URL(request.url).searchParams));
    const params = spec.params && parse(spec.params, await context.params);
    const body = spec.body && parse(spec.body, await readBody(request));
    const ctx = makeCtx(allowed, await getDb(), now, facts);
    return await spec.handler({ ctx, request, query, params, body } as Parameters<typeof spec.handler>[0]);
  } catch (err) {
    if (isNextSignal(err)) throw err;
    const response = spec.errors ? spec.errors(err) : defaultError(err);
    // RFC 6750: a bearer-token endpoint names its scheme when it refuses an unauthenticated call.
    if (forMachines && response.status === 401) response.headers.set("www-authenticate", 'Bearer realm="lockstep"');
    return response;
  }
}

function defaultError(err: unknown): Response {
  const failure = toFailure(err);
  const headers = failure.retryAfter ? { "retry-after": String(failure.retryAfter) } : undefined;
  return Response.json(failure, { status: failure.code === "internal" ? 500 : HTTP_STATUS[failure.code], headers });
}

/** Whose counter a request counts against: the person or machine client (the gate has admitted one), else the address. */
function throttleSubject(actor: Actor, request: Ctx["request"]): string {
  if (actor.kind === "user" && actor.id !== null) return `person:${actor.id}`;
  if (actor.kind === "machine") return `client:${actor.id}`;
  return `address:${request?.ip ?? "unknown"}`;
}

/** The gate, before any input is looked at. Machine clients reach only machine endpoints, and vice versa. */
function admit(actor: Actor | null, spec: Gate, now: Date): Actor {
  if (!actor) throw new Unauthenticated();
  const forMachines = spec.actors === "machine";
  if (forMachines !== (actor.kind === "machine")) {
    throw new Forbidden(forMachines ? "This endpoint is for machine clients." : "This endpoint is for console users.");
  }
  authorize(actor, spec.permission);
  if (spec.assurance && !meetsAssurance(actor, spec.assurance, now)) throw new StepUpRequired(spec.assurance);
  return actor;
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error);
    const fieldErrors = flat.fieldErrors as Record<string, string[]>;
    const first = flat.formErrors[0] ?? Object.entries(fieldErrors).map(([k, v]) => `${k}: ${v[0]}`)[0];
    throw new Invalid(first ? `Invalid input — ${first}` : "Invalid input.", fieldErrors);
  }
  return parsed.data;
}

async function readBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text === "") return undefined;
  if (!/[/+]json\b/i.test(request.headers.get("content-type") ?? "")) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new Invalid("The request body is not valid JSON.");
  }
}
