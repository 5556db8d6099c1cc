import yaml from "js-yaml";
import { dataClass as dataClassEnum } from "@/db/schema/enums";
import type { DataClass } from "../rules";
import { CURSOR_PARAM, classify, SIZE_PARAM, wordsOf } from "./classify";
import { CONTACT_FIELD, CONTACT_INPUT, type RecordType, recordType, takesMany } from "./records";

/**
 * Reads an OpenAPI 3.x document (JSON or YAML) into Lockstep endpoints. Everything that cannot be read is
 * reported at once, each problem with the JSON pointer of the place it was found, so a broken document
 * is fixed in one pass. Only local `$ref`s (`#/…`) are followed.
 *
 * Rules: the reach is taken from the operation's security requirements (else the document's) as scope sets: one
 * set per requirement object, holding every scope it lists (OAuth2 and OpenID Connect) or the scheme's name
 * (API-key/HTTP); a credential reaches the endpoint when it holds every scope of one set. Bulk: the success
 * response is a collection AND a paging parameter exists (records per call: the size parameter's `maximum`), or
 * the call takes many identifiers (an array parameter, a comma-separated list, a body array) and returns people
 * (records per call: the input's `maxItems`), or it looks people up by email or phone (a contact lookup: bulk
 * whatever one call returns, since guesses enumerate accounts). Data classes: `x-data-classes`, else classify.ts;
 * records that are not people lose the guess "pii" unless they carry contact fields, and messages are
 * `private_messages`. Warnings name the operation ("GET /users/lookup: …"); errors keep their JSON pointer.
 */
type Problem = { pointer: string; message: string };
export type ImportedEndpoint = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** Alternatives (OR) of scopes that are all required (AND); the first scope of the first set labels it. */
  scopeSets: string[][];
  scope: string;
  bulk: boolean;
  maxRecordsPerCall: number | null;
  dataClasses: DataClass[];
  description: string | null;
  /** What the response's records are (null when it declares no JSON body). Reported, not stored. */
  records: RecordType | null;
  /** It maps contact data (email, phone) to accounts. Reported, and counted as bulk. */
  contactLookup: boolean;
};
export type ParseResult =
  | { ok: true; title: string | null; version: string | null; endpoints: ImportedEndpoint[]; warnings: Problem[] }
  | { ok: false; errors: Problem[] };

type Obj = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "patch"] as const;
const UNTRACKED = ["head", "options", "trace"] as const;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
const pointer = (...parts: (string | number)[]) => `#/${parts.map((p) => esc(String(p))).join("/")}`;

/**
 * YAML aliases share one node among many places, so a few kilobytes can stand for billions of values once read
 * as a tree (the "billion laughs"); everything after loading walks the tree. The expanded size is counted first,
 * stopping at the bound, so a hostile document costs milliseconds and is refused instead of stalling the server.
 */
const MAX_EXPANDED_VALUES = 500_000;

function expandsBeyond(doc: unknown, max: number): boolean {
  let count = 0;
  const stack: unknown[] = [doc];
  while (stack.length) {
    const v = stack.pop();
    if (++count > max) return true;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (isObj(v)) for (const x of Object.values(v)) stack.push(x);
  }
  return false;
}

function load(text: string): { doc?: unknown; error?: Problem } {
  try {
    // CORE_SCHEMA: no YAML timestamps or other types JSON would not have.
    const doc = yaml.load(text, { schema: yaml.CORE_SCHEMA, json: false });
    if (expandsBeyond(doc, MAX_EXPANDED_VALUES)) {
      return {
        error: {
          pointer: "#",
          message: `The document expands to more than ${MAX_EXPANDED_VALUES.toLocaleString("en-US")} values (nested YAML aliases): refused.`,
        },
      };
    }
    return { doc };
  } catch (err) {
    const e = err as { reason?: string; mark?: { line: number; column: number }; message?: string };
    const reason = e.reason ?? e.message ?? "";
    // At the end of the text the parser only knows something was left open: name where it was opened.
    const open = /end of the stream/.test(reason) ? unclosedAt(text) : null;
    const where = open
      ? `line ${open.line}, column ${open.column}`
      : e.mark
        ? `line ${e.mark.line + 1}, column ${e.mark.column + 1}`
        : "document";
    const detail = open ? `${open.what} is never closed` : reason;
    return { error: { pointer: "#", message: `Not valid JSON or YAML (${where}): ${detail}` } };
  }
}

/**
 * The innermost bracket or quote still open at the end of the text (comments and quoted text skipped), so an
 * unclosed `[` is reported on its own line, not at the end of the file.
 */
function unclosedAt(text: string): { line: number; column: number; what: string } | null {
  const stack: { ch: string; line: number; column: number }[] = [];
  let quote: { ch: string; line: number; column: number } | null = null;
  let line = 1;
  let column = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    column++;
    if (ch === "\n") {
      line++;
      column = 0;
      lineStart = true;
      continue;
    }
    if (quote) {
      if (quote.ch === '"' && ch === "\\") i++;
      else if (ch === quote.ch) quote = null;
      continue;
    }
    const prev = text[i - 1];
    if (ch === "#" && (lineStart || prev === " " || prev === "\t")) {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
      continue;
    }
    // A quote opens a quoted scalar only where a value starts (not inside a word like don't).
    if ((ch === '"' || ch === "'") && (lineStart || /[\s[{,:]/.test(prev ?? " "))) quote = { ch, line, column };
    else if (ch === "[" || ch === "{") stack.push({ ch, line, column });
    else if ((ch === "]" || ch === "}") && stack.length) stack.pop();
    if (ch !== " " && ch !== "\t" && ch !== "-") lineStart = false;
  }
  const open = quote ?? stack.at(-1);
  if (!open) return null;
  const what = {
    "[": "the [ opened here",
    "{": "the { opened here",
    '"': "the quoted text opened here",
    "'": "the quoted text opened here",
  }[open.ch];
  return { line: open.line, column: open.column, what: what ?? "text opened here" };
}

/** Everything read from a document at once: `fatal` problems mean nothing else could be read. */
export type Reading = {
  fatal: boolean;
  errors: Problem[];
  warnings: Problem[];
  /** Each operation that would be imported, with the JSON pointer of the operation. */
  endpoints: (ImportedEndpoint & { pointer: string })[];
  title: string | null;
  version: string | null;
};

export function parseOpenApi(text: string): ParseResult {
  const r = readOpenApi(text);
  if (r.errors.length) return { ok: false, errors: r.errors };
  if (r.endpoints.length === 0)
    return {
      ok: false,
      errors: [
        { pointer: "#/paths", message: "No operation with a security requirement was found: nothing to import." },
      ],
    };
  const endpoints = r.endpoints.map(({ pointer: _, ...e }) => e);
  return { ok: true, title: r.title, version: r.version, endpoints, warnings: r.warnings };
}

/** Reads the whole document; unlike parseOpenApi, endpoints found beside errors are kept (the import lists both). */
export function readOpenApi(text: string): Reading {
  const none = { warnings: [], endpoints: [], title: null, version: null };
  const { doc, error } = load(text);
  if (error) return { fatal: true, errors: [error], ...none };
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  if (!isObj(doc))
    return {
      fatal: true,
      errors: [{ pointer: "#", message: "The document is not an object: expected an OpenAPI 3 document." }],
      ...none,
    };
  if (doc.swagger !== undefined)
    errors.push({
      pointer: "#/swagger",
      message: "OpenAPI 2.0 (Swagger) is not supported: convert the document to OpenAPI 3 first.",
    });
  else if (typeof doc.openapi !== "string" || !/^3\.\d+(\.\d+)?$/.test(doc.openapi)) {
    errors.push({
      pointer: "#/openapi",
      message:
        doc.openapi === undefined
          ? "Missing: not an OpenAPI 3 document."
          : `Expected a 3.x version string, found ${JSON.stringify(doc.openapi)}.`,
    });
  }
  const resolver = new Resolver(doc, errors);
  const schemes = readSchemes(doc, errors);
  const global = doc.security === undefined ? undefined : readSecurity(doc.security, ["security"], schemes, errors);
  if (!isObj(doc.paths)) {
    errors.push({
      pointer: "#/paths",
      message: doc.paths === undefined ? "Missing: the document lists no paths." : "Must be an object of paths.",
    });
    return { fatal: true, errors, ...none };
  }
  const endpoints: Reading["endpoints"] = [];
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const at = ["paths", path];
    if (!path.startsWith("/")) errors.push({ pointer: pointer(...at), message: `A path must start with "/".` });
    const item = resolver.deref(rawItem, at);
    if (!isObj(item)) {
      if (item !== undefined) errors.push({ pointer: pointer(...at), message: "A path item must be an object." });
      continue;
    }
    const shared = readParameters(item.parameters, [...at, "parameters"], resolver, errors);
    for (const m of UNTRACKED)
      if (item[m] !== undefined)
        warnings.push({
          pointer: pointer(...at, m),
          message: `${m.toUpperCase()} is not tracked (no data leaves through it).`,
        });
    for (const method of METHODS) {
      if (item[method] === undefined) continue;
      const opAt = [...at, method];
      const op = item[method];
      if (!isObj(op)) {
        errors.push({ pointer: pointer(...opAt), message: "An operation must be an object." });
        continue;
      }
      const version = typeof doc.openapi === "string" ? doc.openapi : "";
      const ep = readOperation({
        path,
        method,
        op,
        opAt,
        shared,
        global,
        schemes,
        resolver,
        version,
        errors,
        warnings,
      });
      if (ep) endpoints.push({ ...ep, pointer: pointer(...opAt) });
    }
  }
  const info = isObj(doc.info) ? doc.info : {};
  return {
    fatal: false,
    errors,
    warnings: warnings.map((w) => ({ pointer: w.pointer, message: `${place(w.pointer)}: ${w.message}` })),
    endpoints,
    title: typeof info.title === "string" ? info.title : null,
    version: typeof info.version === "string" ? info.version : null,
  };
}

/** A pointer in words: `#/paths/~1users~1lookup/get/security` → "GET /users/lookup (security)". */
function place(at: string): string {
  const parts = at
    .replace(/^#\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (parts[0] !== "paths" || parts.length < 2) return at;
  const [, path, method, ...rest] = parts;
  if (!method) return path;
  const where = `${method.toUpperCase()} ${path}`;
  return rest.length ? `${where} (${rest.join(" › ")})` : where;
}

type Scheme = { type: string; scopes: Set<string> | null };

function readSchemes(doc: Obj, errors: Problem[]): Map<string, Scheme> {
  const out = new Map<string, Scheme>();
  const comps = doc.components;
  if (comps === undefined) return out;
  if (!isObj(comps)) {
    errors.push({ pointer: "#/components", message: "Must be an object." });
    return out;
  }
  const raw = comps.securitySchemes;
  if (raw === undefined) return out;
  if (!isObj(raw)) {
    errors.push({ pointer: "#/components/securitySchemes", message: "Must be an object." });
    return out;
  }
  for (const [name, s] of Object.entries(raw)) {
    const at = pointer("components", "securitySchemes", name);
    if (!isObj(s) || typeof s.type !== "string") {
      errors.push({
        pointer: at,
        message: "A security scheme needs a type (apiKey, http, oauth2, openIdConnect or mutualTLS).",
      });
      continue;
    }
    if (!["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"].includes(s.type)) {
      errors.push({ pointer: `${at}/type`, message: `Unknown security scheme type ${JSON.stringify(s.type)}.` });
      continue;
    }
    let scopes: Set<string> | null = null;
    if (s.type === "oauth2") {
      scopes = new Set();
      if (!isObj(s.flows)) errors.push({ pointer: `${at}/flows`, message: "An oauth2 scheme needs its flows." });
      else
        for (const flow of Object.values(s.flows))
          if (isObj(flow) && isObj(flow.scopes)) for (const k of Object.keys(flow.scopes)) scopes.add(k);
    }
    out.set(name, { type: s.type, scopes });
  }
  return out;
}

type Requirement = { scheme: string; type: string; scopes: string[] }[];

function readSecurity(
  raw: unknown,
  at: (string | number)[],
  schemes: Map<string, Scheme>,
  errors: Problem[],
): Requirement[] | undefined {
  if (!Array.isArray(raw)) {
    errors.push({ pointer: pointer(...at), message: "Must be a list of security requirements." });
    return undefined;
  }
  const out: Requirement[] = [];
  for (const [i, req] of raw.entries()) {
    if (!isObj(req)) {
      errors.push({
        pointer: pointer(...at, i),
        message: "A security requirement must be an object of scheme names to scope lists.",
      });
      continue;
    }
    const parts: Requirement = [];
    for (const [name, scopes] of Object.entries(req)) {
      const scheme = schemes.get(name);
      if (!scheme)
        errors.push({
          pointer: pointer(...at, i, name),
          message: `Unknown security scheme "${name}" (not in #/components/securitySchemes).`,
        });
      if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== "string")) {
        errors.push({ pointer: pointer(...at, i, name), message: "Must be a list of scope names (strings)." });
        continue;
      }
      if (scheme) parts.push({ scheme: name, type: scheme.type, scopes: scopes as string[] });
    }
    out.push(parts);
  }
  return out;
}

type Param = {
  name: string;
  in: string;
  maximum: number | null;
  /** Takes many values in one call (an array, a comma-separated list); `maxItems` bounds them. */
  many: boolean;
  maxItems: number | null;
};

function readParameters(raw: unknown, at: (string | number)[], resolver: Resolver, errors: Problem[]): Param[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.push({ pointer: pointer(...at), message: "Must be a list of parameters." });
    return [];
  }
  const out: Param[] = [];
  for (const [i, r] of raw.entries()) {
    const p = resolver.deref(r, [...at, i]);
    if (p === undefined) continue;
    if (!isObj(p) || typeof p.name !== "string" || typeof p.in !== "string") {
      errors.push({
        pointer: pointer(...at, i),
        message: "A parameter needs a name and an `in` (query, header, path or cookie).",
      });
      continue;
    }
    const schema = resolver.deref(p.schema, [...at, i, "schema"]);
    const maximum = isObj(schema) && typeof schema.maximum === "number" ? schema.maximum : null;
    const maxItems = isObj(schema) && typeof schema.maxItems === "number" ? schema.maxItems : null;
    const many = takesMany(schema, p.description, p.style, p.explode);
    out.push({ name: p.name, in: p.in, maximum, many, maxItems });
  }
  return out;
}

type OpArgs = {
  path: string;
  method: (typeof METHODS)[number];
  op: Obj;
  opAt: (string | number)[];
  shared: Param[];
  global: Requirement[] | undefined;
  schemes: Map<string, Scheme>;
  resolver: Resolver;
  /** The document's `openapi` version ("" when missing). */
  version: string;
  errors: Problem[];
  warnings: Problem[];
};

function readOperation(a: OpArgs): ImportedEndpoint | null {
  const { op, opAt, errors, warnings } = a;
  const own =
    op.security === undefined ? undefined : readSecurity(op.security, [...opAt, "security"], a.schemes, errors);
  const params = [...a.shared, ...readParameters(op.parameters, [...opAt, "parameters"], a.resolver, errors)];
  const requirements = (own ?? a.global ?? []).filter((r) => r.length > 0);
  const response = successSchema(op, opAt, a.path, a.version, a.resolver, errors, warnings);
  const explicit = readExplicitClasses(op, opAt, errors);
  if (requirements.length === 0) {
    warnings.push({
      pointer: pointer(...opAt),
      message: "No security requirement: anyone can call it, so no credential's scope reaches it. Not imported.",
    });
    return null;
  }
  const scopeSets = scopeSetsOf(requirements);
  const scope = scopeSets[0][0];
  for (const p of requirements.flat()) {
    const declared = a.schemes.get(p.scheme)?.scopes;
    for (const s of p.scopes)
      if (declared && !declared.has(s))
        warnings.push({
          pointer: pointer(...opAt, "security"),
          message: `Scope "${s}" is not declared in the ${p.scheme} flows.`,
        });
  }
  const query = params.filter((p) => p.in === "query");
  const size = query.find((p) => SIZE_PARAM.test(p.name));
  const paged = Boolean(size) || query.some((p) => CURSOR_PARAM.test(p.name));
  const body = requestBodyInput(op, opAt, a.resolver);
  const inputs = [...params.filter((p) => p.in !== "path" && p.in !== "header" && p.in !== "cookie"), ...body];
  const many = inputs.find((p) => p.many);
  const people = response.records === "people";
  // Contact data in, accounts out: an email or phone given to a read (GET, or a POST that looks up) finds the person.
  const lookupVerb =
    a.method === "get" ||
    (a.method === "post" &&
      /\b(lookup|look up|search|find|match|resolve|discover|batch)\b/.test(
        ` ${wordsOf([a.path, typeof op.operationId === "string" ? op.operationId : "", String(op.summary ?? "")])} `,
      ));
  const contactLookup = people && lookupVerb && inputs.some((p) => CONTACT_INPUT.test(` ${wordsOf([p.name])} `));
  const manyPeople = Boolean(many) && people;
  const bulk = (response.arrayish && paged) || manyPeople || contactLookup;
  const perCall = manyPeople && many?.maxItems ? many.maxItems : response.arrayish && paged ? size?.maximum : undefined;
  if (contactLookup)
    warnings.push({
      pointer: pointer(...opAt),
      message:
        "Looks people up by email or phone: it maps contact data to accounts (the enumeration risk), so it counts as bulk.",
    });
  const summary = [op.summary, op.description].find((v) => typeof v === "string") as string | undefined;
  const tags = Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === "string") : [];
  const words = [
    a.path.replace(/\{[^}]*\}/g, " "),
    typeof op.operationId === "string" ? op.operationId : "",
    summary ?? "",
    ...tags,
    ...response.properties,
  ];
  return {
    method: a.method.toUpperCase() as ImportedEndpoint["method"],
    path: a.path,
    scopeSets,
    scope,
    bulk,
    maxRecordsPerCall: bulk && perCall ? Math.floor(perCall) : null,
    dataClasses: explicit ?? guessClasses(words, response.arrayish, response.records, response.recordProperties),
    description: summary ? summary.trim().slice(0, 300) : null,
    records: response.records,
    contactLookup,
  };
}

/**
 * One set per requirement object, holding every scope it names (a scheme without scopes counts as its name);
 * duplicates and sets that hold another set whole (never the easier way in) are dropped.
 */
function scopeSetsOf(requirements: Requirement[]): string[][] {
  const sets = requirements.map((r) => [
    ...new Set(
      r.flatMap((p) =>
        (p.type === "oauth2" || p.type === "openIdConnect") && p.scopes.length ? p.scopes : [p.scheme],
      ),
    ),
  ]);
  return sets.filter(
    (set, i) =>
      !sets.some((other, j) => j !== i && other.every((s) => set.includes(s)) && (other.length < set.length || j < i)),
  );
}

/** The classes guessed from words, corrected by what the records are. */
function guessClasses(
  words: string[],
  list: boolean,
  records: RecordType | null,
  recordProperties: string[],
): DataClass[] {
  let classes = classify(words);
  // Posts, messages or other records listed under a person's path are not a person export: "pii" stays only
  // when the records themselves carry contact fields.
  if (list && records && records !== "people" && !CONTACT_FIELD.test(` ${wordsOf(recordProperties)} `))
    classes = classes.filter((c) => c !== "pii");
  // Messages are their own class ("dm events" are messages, not internal events).
  if (records === "messages")
    classes = [...classes.filter((c) => c !== "internal" && c !== "private_messages"), "private_messages"];
  return classes;
}

/** A JSON request body that carries many values: an array, or an object holding one (e.g. `{ emails: [...] }`). */
function requestBodyInput(op: Obj, opAt: (string | number)[], resolver: Resolver): Param[] {
  const rb = resolver.deref(op.requestBody, [...opAt, "requestBody"]);
  if (!isObj(rb) || !isObj(rb.content)) return [];
  const media = Object.keys(rb.content).find((m) => /json/i.test(m));
  const mediaObj = media ? (rb.content as Obj)[media] : undefined;
  const at = [...opAt, "requestBody", "content", media ?? "", "schema"];
  const schema = isObj(mediaObj) ? resolver.deref(mediaObj.schema, at) : undefined;
  if (!isObj(schema)) return [];
  const asParam = (name: string, s: unknown): Param => {
    const x = isObj(s) ? s : {};
    const items = isObj(x.items) ? resolver.deref(x.items, at) : undefined;
    const itemNames = isObj(items) && isObj(items.properties) ? Object.keys(items.properties) : [];
    return {
      name: [name, ...itemNames].join(" "),
      in: "body",
      maximum: null,
      many: x.type === "array",
      maxItems: typeof x.maxItems === "number" ? x.maxItems : null,
    };
  };
  if (schema.type === "array") return [asParam("", schema)];
  if (!isObj(schema.properties)) return [];
  return Object.entries(schema.properties).map(([name, prop]) =>
    asParam(name, resolver.deref(prop, [...at, "properties", name])),
  );
}

function readExplicitClasses(op: Obj, opAt: (string | number)[], errors: Problem[]): DataClass[] | null {
  const raw = op["x-data-classes"];
  if (raw === undefined) return null;
  const valid = dataClassEnum.enumValues as readonly string[];
  if (!Array.isArray(raw) || raw.some((c) => typeof c !== "string" || !valid.includes(c))) {
    errors.push({
      pointer: pointer(...opAt, "x-data-classes"),
      message: `Must be a list of data classes (${valid.join(", ")}).`,
    });
    return null;
  }
  return [...new Set(raw as DataClass[])];
}

type ResponseShape = {
  arrayish: boolean;
  properties: string[];
  /** What the records are (the array's items, else the object itself); null without a JSON body. */
  records: RecordType | null;
  /** The records' own property names (one level). */
  recordProperties: string[];
};

/** The first success response's JSON schema: is it a collection, of what, and which property names does it carry? */
function successSchema(
  op: Obj,
  opAt: (string | number)[],
  path: string,
  version: string,
  resolver: Resolver,
  errors: Problem[],
  warnings: Problem[],
): ResponseShape {
  const none: ResponseShape = { arrayish: false, properties: [], records: null, recordProperties: [] };
  if (op.responses === undefined) {
    // OpenAPI 3.0 requires the responses of every operation; 3.1 made them optional.
    if (version.startsWith("3.0"))
      errors.push({
        pointer: pointer(...opAt, "responses"),
        message: "Missing: OpenAPI 3.0 requires the responses of every operation.",
      });
    else
      warnings.push({ pointer: pointer(...opAt), message: "No responses are described: what it returns is unknown." });
    return none;
  }
  if (!isObj(op.responses)) {
    errors.push({ pointer: pointer(...opAt, "responses"), message: "Must be an object of responses by status code." });
    return none;
  }
  const code = ["200", "201", "206", "2XX", "default"].find(
    (c) => op.responses && (op.responses as Obj)[c] !== undefined,
  );
  if (!code) return none;
  const at = [...opAt, "responses", code];
  const res = resolver.deref((op.responses as Obj)[code], at);
  if (!isObj(res) || !isObj(res.content)) return none;
  const media = Object.keys(res.content).find((m) => /json/i.test(m));
  if (!media) return none;
  const mediaObj = (res.content as Obj)[media];
  const schemaAt = [...at, "content", media, "schema"];
  const raw = isObj(mediaObj) ? mediaObj.schema : undefined;
  const schema = resolver.deref(raw, schemaAt);
  if (!isObj(schema)) return none;
  const properties: string[] = [];
  // The record schema: the first array's items (a page object's list counts), else the response itself.
  let record: { raw: unknown; at: (string | number)[] } | null = null;
  const walk = (s: unknown, depth: number, where: (string | number)[]): boolean => {
    const x = resolver.deref(s, where);
    if (!isObj(x) || depth > 3) return false;
    let arrayish = x.type === "array";
    if (x.type === "array") {
      if (!record && depth <= 1) record = { raw: x.items, at: [...where, "items"] };
      walk(x.items, depth + 1, [...where, "items"]);
    }
    for (const key of ["allOf", "oneOf", "anyOf"])
      if (Array.isArray(x[key]))
        for (const [i, sub] of (x[key] as unknown[]).entries())
          arrayish = walk(sub, depth + 1, [...where, key, i]) || arrayish;
    if (isObj(x.properties)) {
      for (const [name, prop] of Object.entries(x.properties)) {
        properties.push(name);
        const p = resolver.deref(prop, [...where, "properties", name]);
        // A page object: { data: [...], next: … } is a collection too (only at the top level).
        if (depth === 0 && isObj(p) && p.type === "array") {
          arrayish = true;
          if (!record) record = { raw: p.items, at: [...where, "properties", name, "items"] };
        }
        walk(p, depth + 1, [...where, "properties", name]);
      }
    }
    return arrayish;
  };
  const arrayish = walk(schema, 0, schemaAt);
  const chosen: { raw: unknown; at: (string | number)[] } = record ?? { raw, at: schemaAt };
  const item = resolver.deref(chosen.raw, chosen.at);
  const recordProperties = isObj(item) && isObj(item.properties) ? Object.keys(item.properties) : [];
  const ref = isObj(chosen.raw) && typeof chosen.raw.$ref === "string" ? chosen.raw.$ref.split("/").at(-1) : undefined;
  const title = isObj(item) && typeof item.title === "string" ? item.title : undefined;
  // Without a schema name, the path's last literal segment says what is listed (/users/{id}/messages).
  const segment = path
    .split("/")
    .filter((p) => p && !p.startsWith("{"))
    .at(-1);
  const records = recordType(ref ?? title ?? segment ?? null, recordProperties);
  return { arrayish, properties, records, recordProperties };
}

const MAX_REF_HOPS = 64;

/** Follows local `$ref`s (cycles, external documents and over-long chains are reported, never followed). */
class Resolver {
  constructor(
    private readonly doc: Obj,
    private readonly errors: Problem[],
  ) {}

  deref(value: unknown, at: (string | number)[], seen = new Set<string>()): unknown {
    if (!isObj(value) || typeof value.$ref !== "string") return value;
    const ref = value.$ref;
    const where = `${pointer(...at)}/$ref`;
    if (!ref.startsWith("#/"))
      return this.fail(
        where,
        `External reference ${JSON.stringify(ref)} is not supported: bundle the document into one file.`,
      );
    if (seen.has(ref)) return this.fail(where, `Circular reference ${ref}.`);
    // A chain of references pointing on to each other: real documents stay within a handful of hops; a document
    // built to exhaust the parser (5,000 hops) is refused here instead of overflowing the stack.
    if (seen.size >= MAX_REF_HOPS)
      return this.fail(where, `The chain of references from here is longer than ${MAX_REF_HOPS} hops.`);
    let target: unknown = this.doc;
    for (const raw of ref.slice(2).split("/")) {
      const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      target = isObj(target) ? target[key] : undefined;
      if (target === undefined) return this.fail(where, `Cannot resolve ${ref}.`);
    }
    seen.add(ref);
    return this.deref(target, at, seen);
  }

  private fail(where: string, message: string): undefined {
    if (!this.errors.some((e) => e.pointer === where && e.message === message))
      this.errors.push({ pointer: where, message });
    return undefined;
  }
}
