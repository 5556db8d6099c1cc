import "server-only";
import type { Readable } from "node:stream";
import { csvItems } from "@/lib/imports/csv";
import { jsonItems } from "@/lib/imports/json";
import type { Parsed } from "@/lib/imports/types";
import { vendorMethod } from "../vendor-mapping";
import { type FactorState, factorKind } from "./kind";
import { invalidRecord as bad, booleanOf, mapPerson, type PersonRecord, type RawMethod } from "./map";
import { peekFirstChar } from "./peek";

/**
 * Microsoft Entra ID's user registration details (import kind `entra_factors`): the Graph list
 * `GET /reports/authenticationMethods/userRegistrationDetails` saved as JSON — a page `{ "value": [...] }` or a
 * plain array of its users — or the same details as CSV (the admin center's download, or PowerShell's
 * `Export-Csv` with `methodsRegistered` joined). One row per user: `userPrincipalName`, `userType`,
 * `methodsRegistered`, and `isSsprCapable` (self-service reset decides whether phone, email and app count as
 * recovery paths too). Guests are flagged; a guest's `#EXT#` UPN is also matched by the address it came from.
 */
type EntraUser = {
  upn: string;
  displayName: string | null;
  userType: string | null;
  methods: string[];
  sspr: boolean | null;
};

const fold = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
const HEADERS: Record<string, string> = {
  userprincipalname: "userPrincipalName",
  upn: "userPrincipalName",
  userdisplayname: "userDisplayName",
  displayname: "userDisplayName",
  name: "userDisplayName",
  usertype: "userType",
  methodsregistered: "methodsRegistered",
  methods: "methodsRegistered",
  registeredmethods: "methodsRegistered",
  authenticationmethods: "methodsRegistered",
  isssprcapable: "isSsprCapable",
  ssprcapable: "isSsprCapable",
  isssprregistered: "isSsprRegistered",
  ssprregistered: "isSsprRegistered",
  isssprenabled: "isSsprEnabled",
  ssprenabled: "isSsprEnabled",
};

/** `alice_contoso.com#EXT#@fabrikam.onmicrosoft.com` → `alice@contoso.com`: the guest's own address. */
function guestHomeAddress(upn: string): string | null {
  const m = /^(.+)#EXT#@/i.exec(upn);
  if (!m) return null;
  const i = m[1].lastIndexOf("_");
  return i > 0 ? `${m[1].slice(0, i)}@${m[1].slice(i + 1)}` : null;
}

function ssprOf(get: (name: string) => unknown): boolean | null {
  const capable = booleanOf(get("isSsprCapable"));
  if (capable !== null) return capable;
  const enabled = booleanOf(get("isSsprEnabled"));
  const registered = booleanOf(get("isSsprRegistered"));
  if (enabled === false || registered === false) return false;
  return enabled && registered ? true : null;
}

function toRecord(u: EntraUser, state: FactorState): PersonRecord {
  const guest = (u.userType ?? "").trim().toLowerCase() === "guest";
  const home = guestHomeAddress(u.upn);
  const raw: RawMethod[] = u.methods.map((name) => ({ key: vendorMethod("entra", name)?.method ?? name, name }));
  return {
    ids: [u.upn.toLowerCase(), ...(home ? [home.toLowerCase()] : [])],
    shown: `UPN ${u.upn}`,
    displayName: u.displayName,
    ...mapPerson("entra", raw, { settings: state.settings, sspr: u.sspr, guest }),
  };
}

/** One element of the Graph list: a user's registration details, checked field by field. */
function fromJson(value: unknown, pointer: string, line: number, state: FactorState): Parsed {
  if (!value || typeof value !== "object" || Array.isArray(value))
    return bad("Expected a user's registration details (an object).", { line, pointer });
  const v = value as Record<string, unknown>;
  const upn = typeof v.userPrincipalName === "string" ? v.userPrincipalName.trim() : "";
  if (!upn) return bad("userPrincipalName is missing.", { line, pointer: `${pointer}/userPrincipalName` });
  const methods = v.methodsRegistered;
  if (!Array.isArray(methods))
    return bad(`methodsRegistered of ${upn} is not a list of method names.`, {
      line,
      pointer: `${pointer}/methodsRegistered`,
    });
  const notText = methods.findIndex((x) => typeof x !== "string");
  if (notText >= 0)
    return bad(`A method of ${upn} is not a name (${JSON.stringify(methods[notText])}).`, {
      line,
      pointer: `${pointer}/methodsRegistered/${notText}`,
    });
  const user: EntraUser = {
    upn,
    displayName: typeof v.userDisplayName === "string" ? v.userDisplayName : null,
    userType: typeof v.userType === "string" ? v.userType : null,
    methods: (methods as string[]).map((x) => x.trim()).filter(Boolean),
    sspr: ssprOf((name) => v[name]),
  };
  return { type: "row", line, pointer, key: upn, data: toRecord(user, state) };
}

async function* parseJson(input: Readable, state: FactorState): AsyncGenerator<Parsed> {
  for await (const item of jsonItems(input, { listKey: "value", describe: "a userRegistrationDetails list" })) {
    if (item.type === "error") {
      yield { type: "fileError", message: item.message, pointer: item.pointer };
      return;
    }
    if (item.type === "meta") {
      if (item.key === "@odata.nextLink") yield { type: "facts", facts: { partial: true } };
      continue;
    }
    yield fromJson(item.value, item.pointer, item.line, state);
  }
}

async function* parseCsv(input: Readable, state: FactorState): AsyncGenerator<Parsed> {
  for await (const item of csvItems(input, { transformHeader: (h) => HEADERS[fold(h)] ?? h.trim() })) {
    if (item.type === "header") {
      const missing = ["userPrincipalName", "methodsRegistered"].filter((f) => !item.fields.includes(f));
      if (missing.length) {
        yield {
          type: "fileError",
          message: `The file needs ${missing.join(" and ")} column${missing.length > 1 ? "s" : ""} (a userRegistrationDetails export).`,
        };
        return;
      }
      continue;
    }
    if (item.blank) continue;
    const r = item.values;
    const upn = (r.userPrincipalName ?? "").trim();
    const at = { line: item.line };
    if (!upn) {
      yield bad("userPrincipalName is empty.", at);
      continue;
    }
    const cell = (r.methodsRegistered ?? "").trim();
    if (/^System\.(String|Object)\[\]$/.test(cell)) {
      yield bad(
        `methodsRegistered of ${upn} reads "${cell}": PowerShell wrote the list's type, not its items. Export it joined (methodsRegistered -join ",").`,
        at,
      );
      continue;
    }
    let methods: string[];
    try {
      methods = cell.startsWith("[") ? (JSON.parse(cell) as unknown[]).map(String) : cell.split(/[,;|]/);
    } catch {
      yield bad(`methodsRegistered of ${upn} is not a list: ${cell.slice(0, 80)}`, at);
      continue;
    }
    const user: EntraUser = {
      upn,
      displayName: r.userDisplayName?.trim() || null,
      userType: r.userType?.trim() || null,
      methods: methods.map((x) => x.trim()).filter(Boolean),
      sspr: ssprOf((name) => r[name]),
    };
    yield { type: "row", line: item.line, key: upn, data: toRecord(user, state) };
  }
}

export const entraFactorsImport = factorKind({
  source: "entra",
  kind: "entra_factors",
  label: "Entra ID registration details",
  async *parse(input, state) {
    const { first, stream } = await peekFirstChar(input);
    if (first === null) yield { type: "fileError", message: "The file is empty." };
    else if (first === "{" || first === "[") yield* parseJson(stream, state);
    else yield* parseCsv(stream, state);
  },
});
