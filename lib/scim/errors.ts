import { toFailure } from "@/lib/errors";

/** RFC 7644 §3.12 `scimType` values (and the statuses they go with). */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const SCIM_CONTENT_TYPE = "application/scim+json";

/**
 * A refusal in SCIM's own words: the HTTP status, the `scimType` when RFC 7644 names one, and a detail safe to
 * show the client. Thrown anywhere in lib/scim; the SCIM routes answer it through `scimErrorResponse`.
 */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | null,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ScimError";
  }
}

export const invalidValue = (detail: string) => new ScimError(400, "invalidValue", detail);

/** The typed errors of lib/errors, as SCIM says them. */
const STATUS_OF = {
  unauthenticated: [401, null],
  step_up_required: [401, null],
  forbidden: [403, null],
  not_found: [404, null],
  invalid: [400, "invalidValue"],
  rate_limited: [429, null],
  internal: [500, null],
} as const;

/**
 * The SCIM routes' error answer (RFC 7644 §3.12): `{ schemas: [Error], status: "409", scimType, detail }` in
 * `application/scim+json`, for the edge's refusals (401, 403) as for the service's. A database uniqueness
 * violation is `409 uniqueness`; anything unexpected is a 500 with nothing from the exception in it (toFailure
 * logs it).
 */
export function scimErrorResponse(err: unknown): Response {
  if (err instanceof ScimError) return scimError(err.status, err.scimType, err.detail, err.headers);
  const failure = toFailure(err);
  if (failure.code === "conflict") {
    const duplicate = failure.message === "That would create a duplicate.";
    return scimError(409, duplicate ? "uniqueness" : null, failure.message);
  }
  const [status, scimType] = STATUS_OF[failure.code];
  const retry = failure.retryAfter ? { "retry-after": String(failure.retryAfter) } : undefined;
  return scimError(status, scimType, failure.message, retry);
}

function scimError(status: number, scimType: ScimType | null, detail: string, headers: Record<string, string> = {}) {
  const body = { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": SCIM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
  });
}
