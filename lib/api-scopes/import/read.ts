import type { Readable } from "node:stream";
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
};

/**
 * A credential file as rows: CSV (columns through the mapping), or JSON — an array of flat objects, or an object
 * whose `value` member is that array (a Graph-style page) — whose member names go through the same mapping. A record
 * that cannot be read is an error at its line (and JSON pointer) with the reason.
 */
export async function* readCredentials(input: Readable, columns: ColumnMapping): AsyncGenerator<Parsed> {
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
      yield toRow(values, { line: item.line, pointer: item.pointer }, missing);
    }
    return;
  }
  for await (const item of mappedCsv(stream, CREDENTIAL_FIELDS, columns)) {
    if (item.type === "fileError") yield item;
    else yield toRow(item.values, { line: item.line }, []);
  }
}

const text = (v: unknown) =>
  v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v).trim();

function toRow(v: Record<string, unknown>, at: { line: number; pointer?: string }, missing: string[]): Parsed {
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
                    : null;
  const row = { type: "row" as const, ...at, key: data.externalId || null, data };
  return problem ? { ...row, status: "error", message: problem } : row;
}
