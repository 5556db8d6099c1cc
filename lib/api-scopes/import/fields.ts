import type { MappingField } from "@/lib/imports/mapping";

/** The fields of a credential file (kind `credentials`), CSV columns or JSON members; named so, they need no mapping. */
export const CREDENTIAL_FIELDS: readonly MappingField[] = [
  {
    name: "external_id",
    label: "Id at the issuer",
    required: true,
    aliases: ["id", "token id", "key id", "client id", "client_id", "fingerprint", "external id", "externalid"],
  },
  { name: "name", label: "Name", aliases: ["token name", "key name", "client name", "label", "description"] },
  { name: "system", label: "Issuer (system)", aliases: ["issuer", "system", "app", "application", "issuer system"] },
  {
    name: "holder",
    label: "Holder",
    required: true,
    aliases: ["holder email", "service account", "user", "account", "presented by", "principal"],
  },
  { name: "owner", label: "Owner (email)", aliases: ["owner email", "accountable", "responsible", "owner login"] },
  { name: "kind", label: "Kind", required: true, aliases: ["type", "credential type", "credential kind"] },
  { name: "scopes", label: "Scopes", aliases: ["scope", "permissions", "scp"] },
  {
    name: "created",
    label: "Created",
    aliases: ["created at", "created_at", "createdat", "creation date", "issued at"],
  },
  {
    name: "last_used",
    label: "Last used",
    aliases: ["last used", "last used at", "last_used_at", "lastusedat", "last activity"],
  },
  {
    name: "expires",
    label: "Expires",
    aliases: ["expires at", "expires_at", "expiresat", "expiry", "expiration", "valid until"],
  },
  { name: "status", label: "Status", aliases: ["state"] },
  // Optional revocation handle, sealed as soon as it is read (administrators only; see kind.ts).
  {
    name: "revocation_token",
    label: "Revocation handle (the token)",
    aliases: ["handle", "revocation handle", "revocation token", "token value"],
  },
  { name: "token_type_hint", label: "Token type hint", aliases: ["token type hint", "token type"] },
  {
    name: "registration_client_uri",
    label: "Client configuration URI (RFC 7592)",
    aliases: ["registration client uri", "client configuration uri", "configuration uri"],
  },
  {
    name: "registration_access_token",
    label: "Registration access token (RFC 7592)",
    aliases: ["registration access token"],
  },
];

export type CredentialKindName =
  | "api_key"
  | "personal_access_token"
  | "oauth_client"
  | "oauth_grant"
  | "service_account_key"
  | "ssh_key";

const KINDS: Record<string, CredentialKindName> = {
  token: "personal_access_token",
  pat: "personal_access_token",
  "personal access token": "personal_access_token",
  key: "api_key",
  "api key": "api_key",
  apikey: "api_key",
  "oauth client": "oauth_client",
  client: "oauth_client",
  "oauth app": "oauth_client",
  "oauth grant": "oauth_grant",
  grant: "oauth_grant",
  "refresh token": "oauth_grant",
  "service account": "service_account_key",
  "service account key": "service_account_key",
  "sa key": "service_account_key",
  "ssh key": "ssh_key",
  ssh: "ssh_key",
};
/** "token", "API key", "oauth_client"… → the credential kind; undefined when it is none of them. */
export const credentialKindOf = (v: string): CredentialKindName | undefined =>
  KINDS[v.trim().toLowerCase().replace(/[_-]/g, " ")];

const STATUSES: Record<string, "active" | "revoked" | "expired"> = {
  "": "active",
  active: "active",
  enabled: "active",
  valid: "active",
  revoked: "revoked",
  disabled: "revoked",
  deleted: "revoked",
  expired: "expired",
};
export const credentialStatusOf = (v: string) => STATUSES[v.trim().toLowerCase()];

/** Scopes as a JSON array, or one cell separated by spaces, commas or semicolons (OAuth's space-delimited list). */
export const scopesOf = (v: unknown): string[] =>
  [
    ...new Set(
      (Array.isArray(v) ? v.map(String) : String(v ?? "").split(/[\s,;]+/)).map((s) => s.trim()).filter(Boolean),
    ),
  ].sort();

/** A date or date-time cell: ISO string, or null when empty; undefined when it is not a date. */
export function instantOf(v: unknown): string | null | undefined {
  if (v === null || v === undefined || String(v).trim() === "") return null;
  const s = String(v).trim();
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
