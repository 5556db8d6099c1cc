import { createHash } from "node:crypto";
import { ScimError } from "./errors";
import { canonicalJson, type Doc } from "./resource";

/**
 * A resource's ETag (RFC 7644 §3.14): a weak tag over everything the client can read of it, so any change —
 * through SCIM, the console or an import — gives a new one without a version column to keep.
 */
export function etagOf(doc: Doc): string {
  const { meta, ...rest } = doc;
  const { version: _version, ...metaRest } = (meta ?? {}) as Doc;
  const digest = createHash("sha256")
    .update(canonicalJson({ ...rest, meta: metaRest }))
    .digest("hex");
  return `W/"${digest.slice(0, 20)}"`;
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, "");

/** `If-Match` (from the request) against the current ETag: absent or `*` passes; anything else must match. */
export function checkIfMatch(ifMatch: string | null | undefined, current: string): void {
  if (!ifMatch || ifMatch.trim() === "*") return;
  if (ifMatch.split(",").some((t) => opaque(t) === opaque(current))) return;
  throw new ScimError(412, null, "The resource has changed since that version (If-Match does not match its ETag).");
}

/** Whether `If-None-Match` names the current version (a GET then answers 304). */
export function notModified(ifNoneMatch: string | null, current: string): boolean {
  return !!ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === "*" || opaque(t) === opaque(current));
}
