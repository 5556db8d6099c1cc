import { type Assurance, describeAssurance } from "@/lib/authz/assurance";

/** Typed errors thrown in lib and mapped once at the edge (lib/edge/core.ts). */
export type ErrorCode =
  | "unauthenticated"
  | "step_up_required"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "invalid"
  | "rate_limited";

class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export class Unauthenticated extends AppError {
  constructor(message = "Sign in to continue.") {
    super("unauthenticated", message);
  }
}
/** Signed in, allowed, but not recently or strongly enough: the UI answers by starting a step-up and retrying. */
export class StepUpRequired extends AppError {
  constructor(readonly need: Assurance) {
    super("step_up_required", `This needs ${describeAssurance(need)}.`);
  }
}
export class Forbidden extends AppError {
  constructor(message = "You do not have permission to do this.") {
    super("forbidden", message);
  }
}
export class NotFound extends AppError {
  constructor(what = "The record") {
    super("not_found", `${what} was not found.`);
  }
}
export class Conflict extends AppError {
  constructor(message: string) {
    super("conflict", message);
  }
}
export class Invalid extends AppError {
  constructor(message: string, fieldErrors?: Record<string, string[]>) {
    super("invalid", message, fieldErrors);
  }
}

/** Throttled (lib/edge/rate-limit.ts): the client may try again after `retryAfter` seconds (HTTP 429, Retry-After). */
export class TooManyRequests extends AppError {
  constructor(readonly retryAfter: number) {
    super("rate_limited", `Too many requests; try again in ${retryAfter} s.`);
  }
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  step_up_required: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid: 400,
  rate_limited: 429,
};

export type Failure = {
  ok: false;
  code: ErrorCode | "internal";
  message: string;
  fieldErrors?: Record<string, string[]>;
  /** With `step_up_required`: the assurance the endpoint needs. */
  stepUp?: Assurance;
  /** With `rate_limited`: seconds until the client may try again. */
  retryAfter?: number;
};

/** Maps anything thrown to a safe failure: typed errors keep their message, everything else is hidden. */
export function toFailure(err: unknown): Failure {
  if (err instanceof AppError) {
    return {
      ok: false,
      code: err.code,
      message: err.message,
      ...(err.fieldErrors ? { fieldErrors: err.fieldErrors } : {}),
      ...(err instanceof StepUpRequired ? { stepUp: err.need } : {}),
      ...(err instanceof TooManyRequests ? { retryAfter: err.retryAfter } : {}),
    };
  }
  const pgCode =
    (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  if (pgCode === "23505") return { ok: false, code: "conflict", message: "That would create a duplicate." };
  if (pgCode === "40001" || pgCode === "40P01") {
    return { ok: false, code: "conflict", message: "Someone else changed this at the same time; try again." };
  }
  console.error("[lockstep] unexpected error", err);
  return { ok: false, code: "internal", message: "Something went wrong on our side. The error was logged." };
}
