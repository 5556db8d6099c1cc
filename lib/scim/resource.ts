import { ScimError } from "./errors";
import type { AttrPath } from "./filter";
import { type AttrDef, COMMON_ATTRIBUTES, findAttr, type ResourceDef, type SchemaDef } from "./schemas";

/**
 * A resource as Lockstep reads and writes it: attribute names in their schema's spelling, values of their
 * schema's type, an extension's attributes under its URN (`"urn:…:enterprise:2.0:User": { department }`).
 */
export type Doc = Record<string, unknown>;

/** Where a path points: an attribute of the core schema (`schema` null) or of an extension, maybe a sub-attribute. */
export type Target = { schema: SchemaDef | null; attr: AttrDef; sub: AttrDef | null };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const ci = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The extension an attribute path names as a whole (`urn:…:enterprise:2.0:User`), if any. */
export function extensionNamed(def: ResourceDef, path: AttrPath): SchemaDef | null {
  if (path.sub) return null;
  const whole = path.uri ? `${path.uri}:${path.attr}` : path.attr;
  return def.extensions.find((e) => ci(e.id, whole)) ?? null;
}

/**
 * Resolves an attribute path against the resource's schemas (case-insensitively), or null when it names
 * nothing there: the attribute whitelist every filter, PATCH path and body goes through. An unqualified name is
 * core first; a name only an extension has is accepted unqualified too (clients drop the URN).
 */
export function resolvePath(def: ResourceDef, path: AttrPath): Target | null {
  let schema: SchemaDef | null = null;
  let attr: AttrDef | undefined;
  if (path.uri && !ci(path.uri, def.schema.id)) {
    schema = def.extensions.find((e) => ci(e.id, path.uri!)) ?? null;
    if (!schema) return null;
    attr = findAttr(schema.attributes, path.attr);
  } else {
    attr = findAttr(COMMON_ATTRIBUTES, path.attr) ?? findAttr(def.schema.attributes, path.attr);
    if (!attr && !path.uri) {
      const owners = def.extensions.filter((e) => findAttr(e.attributes, path.attr));
      if (owners.length === 1) {
        schema = owners[0];
        attr = findAttr(schema.attributes, path.attr);
      }
    }
  }
  if (!attr) return null;
  if (!path.sub) return { schema, attr, sub: null };
  const sub = findAttr(attr.subAttributes ?? [], path.sub);
  return sub ? { schema, attr, sub } : null;
}

export const describePath = (p: AttrPath) => `${p.uri ? `${p.uri}:` : ""}${p.attr}${p.sub ? `.${p.sub}` : ""}`;

const invalid = (detail: string) => new ScimError(400, "invalidValue", detail);

/**
 * A value for one attribute, checked against its definition: `null` is no value (RFC 7643 §2.5); a multi-valued
 * attribute accepts one value for a list of one; Entra's `"True"`/`"False"` are booleans; a complex attribute
 * given a bare string takes it as its `value` (Entra's `manager`). Read-only sub-attributes are dropped when
 * `dropReadOnly`. Anything else of the wrong type is a 400 `invalidValue` naming the attribute.
 */
export function coerceValue(def: AttrDef, value: unknown, where: string, dropReadOnly = true): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    const list = (Array.isArray(value) ? value : [value])
      .map((v, i) => coerceSingle(def, v, `${where}[${i}]`, dropReadOnly))
      .filter((v) => v !== undefined);
    return list.length ? list : undefined;
  }
  if (Array.isArray(value)) {
    // A one-element list for a single value is what some clients send (Entra's manager removal, Okta's arrays).
    if (value.length === 1) return coerceSingle(def, value[0], where, dropReadOnly);
    throw invalid(`"${where}" takes a single value, not a list.`);
  }
  return coerceSingle(def, value, where, dropReadOnly);
}

function coerceSingle(def: AttrDef, value: unknown, where: string, dropReadOnly: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.type === "complex") {
    const subs = def.subAttributes ?? [];
    if (!isObject(value)) {
      const valueAttr = findAttr(subs, "value");
      if ((typeof value === "string" || typeof value === "number") && valueAttr) {
        return { value: coerceScalar(valueAttr, String(value), `${where}.value`) };
      }
      throw invalid(`"${where}" must be an object.`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const sub = findAttr(subs, key);
      if (!sub) throw invalid(`"${where}" has no sub-attribute "${key}".`);
      if ((dropReadOnly && sub.mutability === "readOnly") || sub.mutability === "writeOnly") continue;
      const coerced = coerceScalar(sub, v, `${where}.${sub.name}`);
      if (coerced !== undefined) out[sub.name] = coerced;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return coerceScalar(def, value, where);
}

function coerceScalar(def: AttrDef, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (def.type) {
    case "boolean":
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && /^(true|false)$/i.test(value.trim()))
        return value.trim().toLowerCase() === "true";
      throw invalid(`"${where}" must be true or false.`);
    case "integer":
      if (typeof value === "number" && Number.isInteger(value)) return value;
      throw invalid(`"${where}" must be an integer.`);
    case "decimal":
      if (typeof value === "number" && Number.isFinite(value)) return value;
      throw invalid(`"${where}" must be a number.`);
    case "dateTime":
      if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return value;
      throw invalid(`"${where}" must be a date and time (ISO 8601).`);
    case "complex":
      throw invalid(`"${where}" must be a simple value.`);
    default:
      // PostgreSQL text cannot hold NUL, and no attribute needs one.
      if (typeof value === "string" && !value.includes("\u0000")) return value;
      throw invalid(`"${where}" must be a string${typeof value === "string" ? " without NUL characters" : ""}.`);
  }
}

/**
 * A request body (POST, PUT) read into a Doc: every attribute must exist in the resource's schemas; read-only
 * ones (`id`, `meta`, `groups`) are ignored and the write-only `password` discarded, as RFC 7644 §3.5.1 says.
 * Extension attributes may come nested under their URN or flattened (`"urn:…:User:department": "x"`).
 */
export function readResource(def: ResourceDef, body: unknown): Doc {
  if (!isObject(body)) throw new ScimError(400, "invalidSyntax", "The request body must be a JSON object.");
  const doc: Doc = {};
  const put = (schema: SchemaDef | null, attr: AttrDef, value: unknown, where: string) => {
    if (attr.mutability === "readOnly" || attr.mutability === "writeOnly") return;
    const coerced = coerceValue(attr, value, where);
    if (coerced === undefined) return;
    if (schema) doc[schema.id] = { ...((doc[schema.id] as Doc | undefined) ?? {}), [attr.name]: coerced };
    else doc[attr.name] = coerced;
  };
  for (const [key, value] of Object.entries(body)) {
    if (ci(key, "schemas")) {
      if (!Array.isArray(value) || !value.every((s) => typeof s === "string")) {
        throw invalid('"schemas" must be a list of schema URNs.');
      }
      continue;
    }
    const ext = def.extensions.find((e) => ci(e.id, key));
    if (ext) {
      if (value === null) continue;
      if (!isObject(value)) throw invalid(`"${ext.id}" must be an object of ${ext.name} attributes.`);
      for (const [k, v] of Object.entries(value)) {
        const a = findAttr(ext.attributes, k);
        if (!a) throw invalid(`Unknown attribute "${k}" in ${ext.id}.`);
        put(ext, a, v, `${ext.name}.${a.name}`);
      }
      continue;
    }
    const colon = key.lastIndexOf(":");
    const target = resolvePath(def, {
      uri: colon >= 0 ? key.slice(0, colon) : null,
      attr: colon >= 0 ? key.slice(colon + 1) : key,
      sub: null,
    });
    if (!target) throw invalid(`Unknown attribute "${key.slice(0, 200)}".`);
    put(target.schema, target.attr, value, target.attr.name);
  }
  return doc;
}

/** JSON with object keys sorted: equal values give equal strings (ETags, de-duplication of list values). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
