import { z } from "zod";
import { credentialKind, credentialStatus, dataClass } from "@/db/schema/enums";
import { idField as id, idParam, text } from "@/lib/input";
import { pageParams } from "@/lib/pagination";
import { FINDING_IDS } from "./rules";

const optionalId = idParam.optional().catch(undefined);

/** Inventory filters as they arrive in the URL: an unknown value is dropped, never an error page. */
export const inventoryFilters = z.object({
  system: optionalId,
  kind: z.enum(credentialKind.enumValues).optional().catch(undefined),
  owner: optionalId,
  /** Owner by name, email or employee number (the directory's search). */
  q: text(100)
    .transform((v) => v || undefined)
    .optional(),
  department: optionalId,
  /** A finding id, or `stale_bulk` (stale and reaching a bulk endpoint: the dashboard tile's link). */
  finding: z
    .enum([...FINDING_IDS, "stale_bulk"])
    .optional()
    .catch(undefined),
  bulk: z.enum(["bulk", "bulk_pii", "none"]).optional().catch(undefined),
  /** Credentials whose scopes reach this endpoint ("who can call GET /users/lookup?"). */
  endpoint: optionalId,
  status: z
    .enum([...credentialStatus.enumValues, "all"])
    .optional()
    .catch(undefined),
});
export type InventoryFilters = z.infer<typeof inventoryFilters>;
export const inventoryInput = inventoryFilters.merge(pageParams);
export type InventoryInput = z.infer<typeof inventoryInput>;

export const credentialIdInput = z.object({ credentialId: id });

export const revokeInput = z.object({
  credentialId: id,
  reason: text(500).pipe(z.string().min(3, "Say why (at least 3 characters).")),
  /** Required when the issuer has no connector that revokes tokens: what proves it was revoked there. */
  evidence: text(1000)
    .optional()
    .transform((v) => v || undefined),
});

export const reduceScopesInput = z.object({
  credentialId: id,
  /** The scopes to drop; at least one, each currently held. */
  drop: z
    .array(text(200).pipe(z.string().min(1)))
    .min(1, "Choose at least one scope to drop.")
    .max(200),
  reason: text(500).pipe(z.string().min(3, "Say why (at least 3 characters).")),
  /** When no connector can change scopes at the issuer: what proves it was done there (else a manual task). */
  evidence: text(1000)
    .optional()
    .transform((v) => v || undefined),
});

export const assignOwnerInput = z.object({
  credentialId: id,
  ownerId: id,
  reason: text(500).optional(),
});

export const setExpiryInput = z.object({
  credentialId: id,
  /** An ISO instant (the browser converts the viewer's local date and time). */
  expiresAt: z.iso.datetime({ offset: true }).transform((v) => new Date(v)),
});

/**
 * What Lockstep needs to act on a credential at its issuer: the token itself (RFC 7009 revocation, RFC 7662
 * introspection) or an OAuth client's RFC 7592 registration. Error messages never repeat the values.
 */
export const registerHandleInput = z.discriminatedUnion("kind", [
  z.object({
    credentialId: id,
    kind: z.literal("token"),
    token: z
      .string()
      .trim()
      .min(8, "Paste the whole token (at least 8 characters).")
      .max(8192, "Too long for a token."),
    tokenTypeHint: z
      .enum(["access_token", "refresh_token"])
      .nullish()
      .transform((v) => v ?? null),
  }),
  z.object({
    credentialId: id,
    kind: z.literal("registration"),
    registrationClientUri: z
      .url({ protocol: /^https?$/, error: "The client configuration URI must be an http(s) URL." })
      .max(2000),
    registrationAccessToken: z.string().trim().min(8, "Paste the whole registration access token.").max(8192),
  }),
]);

export const ownerSearchInput = z.object({ q: text(100).pipe(z.string().min(1)) });

export const editEndpointInput = z.object({
  endpointId: id,
  bulk: z.boolean(),
  maxRecordsPerCall: z.number().int().positive().max(100_000_000).nullable(),
  dataClasses: z.array(z.enum(dataClass.enumValues)).max(dataClass.enumValues.length),
});

export const endpointsInput = z.object({ system: optionalId });
