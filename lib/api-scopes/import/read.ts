import type { Readable } from "node:stream";
import { type CredentialHandle, type ImportedHandle, sealImportedHandle } from "@/lib/connectors/handles";
import { peekFirstChar } from "@/lib/factors/import/peek";
import { jsonItems } from "@/lib/imports/json";
import { mappedCsv } from "@/lib/imports/mapped-csv";
import { type ColumnMapping, resolveHeaders, unmappedMessage } from "@/lib/imports/mapping";
import type { Parsed } from "@/lib/imports/types";
import { CREDENTIAL_FIELDS, credentialKindOf, credentialStatusOf, instantOf, scopesOf } from "./fields";

/** A credential as a row carries it into validate and apply (holder and owner resolved there). */
export type CredentialRecord = {
  externalId: string;
  name: string;
  system: string | null;
  holder: string;
  owner: string | null;
  kind: string;
  scopes: string[];
  createdAt: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  status: "active" | "revoked" | "expired";
  /**
   * The row's revocation handle, sealed while the file is read (bound to the run and the row's id at the issuer), so
   * the stored preview never holds it in clear; `origin` is the configuration URI's origin, checked in validate.
   */
  handle?: ImportedHandle & { origin: string | null };
};

/**
 * A credential file as rows: CSV (columns through the mapping), or JSON — an array of flat objects, or an object
 * whose `value` member is that array (a Graph-style page) — whose member names go through the same mapping. A record
 * that cannot be read is an error at its line (and JSON pointer) with the reason.
 */
export async function* readCredentials(input: Readable, columns: ColumnMapping, runId: number): AsyncGenerator<Parsed> {
  const { first, stream } = await peekFirstChar(input);
  if (first === "[" || first === "{") {
    for await (const item of jsonItems(stream, { listKey: "value", describe: "a JSON array of credentials" })) {
      if (item.type === "error") yield { type: "fileError", message: item.message, pointer: item.pointer };
      if (item.type !== "record") continue;
      const value = item.value;
      if (!value || typeof value !== "object" || Array.isArray(value)) {
        yield {
          type: "row",
          line: item.line,
          pointer: item.pointer,
          data: {},
          status: "error",
          message: "Not an object.",
        };
        continue;
      }
      const obj = value as Record<string, unknown>;
      const { found, missing } = resolveHeaders(CREDENTIAL_FIELDS, columns, Object.keys(obj));
      const values: Record<string, unknown> = {};
      for (const [field, key] of Object.entries(found)) values[field] = obj[key];
      yield toRow(values, { line: item.line, pointer: item.pointer }, missing, runId);
    }
    return;
  }
  for await (const item of mappedCsv(stream, CREDENTIAL_FIELDS, columns)) {
    if (item.type === "fileError") yield item;
    else yield toRow(item.values, { line: item.line }, [], runId);
  }
}

const text = (v: unknown) =>
  v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v).trim();

/**
 * The handle columns of a row: the token itself, or an OAuth client's registration (URI and access token). Whatever
 * the row's other problems, a value read here leaves only sealed; a malformed one is dropped with the reason.
 */
function handleOf(v: Record<string, unknown>, runId: number, key: string) {
  const [token, hint, uri, rat] = [
    v.revocation_token,
    v.token_type_hint,
    v.registration_client_uri,
    v.registration_access_token,
  ].map(text);
  if (!token && !uri && !rat) return {};
  if (token && (uri || rat)) return { problem: "Give either a revocation token or a client registration, not both." };
  let handle: CredentialHandle;
  let origin: string | null = null;
  if (token) {
    if (token.length < 8) return { problem: "The revocation token is too short to be one." };
    const h = hint.toLowerCase().replace(/[\s-]/g, "_");
    if (h && h !== "access_token" && h !== "refresh_token")
      return { problem: "Token type hint: use access_token or refresh_token (or leave it empty)." };
    handle = { kind: "token", token, hint: h || null };
  } else {
    if (!uri || !rat)
      return { problem: "A client registration needs both its configuration URI and its access token." };
    const parsed = URL.canParse(uri) ? new URL(uri) : null;
    if (!parsed || !/^https?:$/.test(parsed.protocol))
      return { problem: "The client configuration URI is not an http(s) URL." };
    origin = parsed.origin;
    handle = { kind: "registration", registrationClientUri: uri, registrationAccessToken: rat };
  }
  return { handle: { ...sealImportedHandle(runId, key, handle), origin } };
}

function toRow(
  v: Record<string, unknown>,
  at: { line: number; pointer?: string },
  missing: string[],
  runId: number,
): Parsed {
  const kind = credentialKindOf(text(v.kind));
  const status = credentialStatusOf(text(v.status));
  const [created, lastUsed, expires] = [instantOf(v.created), instantOf(v.last_used), instantOf(v.expires)];
  const data: CredentialRecord = {
    externalId: text(v.external_id),
    name: text(v.name) || text(v.external_id),
    system: text(v.system) || null,
    holder: text(v.holder).toLowerCase(),
    owner: text(v.owner).toLowerCase() || null,
    kind: kind ?? text(v.kind),
    scopes: scopesOf(v.scopes),
    createdAt: created ?? null,
    lastUsedAt: lastUsed ?? null,
    expiresAt: expires ?? null,
    status: status ?? "active",
  };
  const sealed = handleOf(v, runId, data.externalId);
  if (sealed.handle) data.handle = sealed.handle;
  const bad = (field: string, value: unknown) =>
    `${field} "${text(value)}" is not a date (e.g. 2026-11-02 or 2026-11-02T17:00:00Z).`;
  const problem = missing.length
    ? unmappedMessage(missing)
    : !data.externalId
      ? "No id at the issuer."
      : !data.holder
        ? "No holder."
        : !kind
          ? `Unknown kind "${text(v.kind)}": use token, key, oauth client, oauth grant, service account or ssh key.`
          : !status
            ? `Unknown status "${text(v.status)}": use active, revoked or expired.`
            : created === undefined
              ? bad("Created", v.created)
              : lastUsed === undefined
                ? bad("Last used", v.last_used)
                : expires === undefined
                  ? bad("Expires", v.expires)
                  : data.name.length > 300 || data.externalId.length > 300
                    ? "The name or id is longer than 300 characters."
                    : (sealed.problem ?? null);
  const row = { type: "row" as const, ...at, key: data.externalId || null, data };
  return problem ? { ...row, status: "error", message: problem } : row;
}
