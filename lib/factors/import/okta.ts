import "server-only";
import type { Readable } from "node:stream";
import { jsonItems } from "@/lib/imports/json";
import type { Parsed } from "@/lib/imports/types";
import { type FactorState, factorKind } from "./kind";
import { invalidRecord as bad, mapPerson, type PersonRecord, type RawMethod } from "./map";

/**
 * Okta's List Factors responses (import kind `okta_factors`: `GET /api/v1/users/{id}/factors`), one per user,
 * collected into one JSON document either as
 * - an array of users, each with its factors: `[{ "login": "…", "email": "…", "factors": [ … ] }]` (the user may
 *   also be Okta's user object: `profile.login`, `profile.email`; factors may sit in `_embedded.factors`), or
 * - an object keyed by login: `{ "ada@example.com": [ … ] }`.
 * Each factor keeps Okta's fields: `id`, `factorType`, `provider`, `status`, `created`, `profile`. Only ACTIVE
 * factors count; the others are listed with their status.
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => Boolean(v) && typeof v === "object" && !Array.isArray(v);
const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
const path = (o: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), o);

/** "+1-555-415-1337" → "+1 ••• 1337": enough to tell two phones apart, not the number. */
function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length > 4 ? `${phone.trim().startsWith("+") ? "+" : ""}••• ${digits.slice(-4)}` : "•••";
}
const maskEmail = (email: string) => email.replace(/^(.).*@/, "$1•••@");

function detailOf(profile: unknown): string | null {
  if (!isObject(profile)) return null;
  return (
    text(profile.authenticatorName) ??
    text(profile.name) ??
    (text(profile.phoneNumber) ? maskPhone(profile.phoneNumber as string) : null) ??
    (text(profile.email) ? maskEmail(profile.email as string) : null)
  );
}

/** One user's factors, each checked: a factor without a type is an error at its pointer. */
function methodsOf(factors: unknown[], pointer: string): { methods: RawMethod[] } | { error: string; pointer: string } {
  const methods: RawMethod[] = [];
  for (const [i, f] of factors.entries()) {
    const at = `${pointer}/${i}`;
    if (!isObject(f)) return { error: "Expected a factor (an object).", pointer: at };
    const factorType = text(f.factorType);
    if (!factorType) return { error: "factorType is missing.", pointer: `${at}/factorType` };
    if (f.status !== undefined && f.status !== null && typeof f.status !== "string")
      return { error: `status is not text (${JSON.stringify(f.status)}).`, pointer: `${at}/status` };
    const provider = text(f.provider);
    const created = text(f.created);
    const credential = text(path(f, "profile", "credentialId")) ?? text(path(f, "profile", "phoneNumber"));
    methods.push({
      // Okta's factor id; without one, what identifies the enrolment within the user.
      key: text(f.id) ?? [factorType, provider, credential].filter(Boolean).join(":"),
      name: factorType,
      status: (f.status as string | undefined) ?? "ACTIVE",
      provider,
      detail: detailOf(f.profile),
      enrolledAt: created && !Number.isNaN(Date.parse(created)) ? new Date(created).toISOString() : null,
    });
  }
  return { methods };
}

function fromRecord(
  value: unknown,
  pointer: string,
  line: number,
  key: string | number,
  keyed: boolean,
  state: FactorState,
): Parsed {
  let login: string | null;
  let email: string | null;
  let displayName: string | null = null;
  let factors: unknown;
  let factorsAt: string;
  if (keyed) {
    // { "<login>": [factors] } or { "<login>": { factors: [...] } }
    login = text(String(key));
    email = null;
    factors = Array.isArray(value) ? value : path(value, "factors");
    factorsAt = Array.isArray(value) ? pointer : `${pointer}/factors`;
  } else {
    if (!isObject(value)) return bad("Expected a user with factors (an object).", { line, pointer });
    if (text(value.factorType))
      return bad(
        'This is one user\'s List Factors response: say whose it is, as [{ "login": "…", "factors": [ … ] }] or { "<login>": [ … ] }.',
        { line, pointer },
      );
    login =
      text(value.login) ??
      text(value.userName) ??
      text(path(value, "profile", "login")) ??
      text(path(value, "user", "login")) ??
      text(path(value, "user", "profile", "login"));
    email =
      text(value.email) ??
      text(path(value, "profile", "email")) ??
      text(path(value, "user", "email")) ??
      text(path(value, "user", "profile", "email"));
    const first = text(path(value, "profile", "firstName")) ?? text(path(value, "user", "profile", "firstName"));
    const last = text(path(value, "profile", "lastName")) ?? text(path(value, "user", "profile", "lastName"));
    displayName = text(value.displayName) ?? ([first, last].filter(Boolean).join(" ") || null);
    const embedded = path(value, "_embedded", "factors");
    factors = value.factors ?? embedded;
    factorsAt = value.factors !== undefined ? `${pointer}/factors` : `${pointer}/_embedded/factors`;
  }
  if (!login && !email) return bad("The user has no login or email.", { line, pointer });
  const shown = login ? `login ${login}` : `email ${email}`;
  if (!Array.isArray(factors)) return bad(`The factors of ${shown} are not a list.`, { line, pointer: factorsAt });
  const checked = methodsOf(factors, factorsAt);
  if ("error" in checked) return bad(checked.error, { line, pointer: checked.pointer });
  const ids = [...new Set([login, email].filter((x): x is string => Boolean(x)).map((x) => x.toLowerCase()))];
  const record: PersonRecord = {
    ids,
    shown,
    displayName,
    ...mapPerson("okta", checked.methods, { settings: state.settings, sspr: null, guest: false }),
  };
  return { type: "row", line, pointer, key: login ?? email, data: record };
}

export const oktaFactorsImport = factorKind({
  source: "okta",
  kind: "okta_factors",
  label: "Okta factors",
  async *parse(input: Readable, state: FactorState): AsyncGenerator<Parsed> {
    for await (const item of jsonItems(input, {
      objectRecords: true,
      describe: "a JSON array of users with their factors (or an object keyed by login)",
    })) {
      if (item.type === "error") {
        yield { type: "fileError", message: item.message, pointer: item.pointer };
        return;
      }
      if (item.type !== "record") continue;
      // Array elements come with their index, an object's members with their name (the login).
      yield fromRecord(item.value, item.pointer, item.line, item.key, typeof item.key === "string", state);
    }
  },
});
