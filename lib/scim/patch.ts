import { ScimError } from "./errors";
import { type Filter, type PatchPath, parsePatchPath } from "./filter";
import {
  canonicalJson,
  coerceValue,
  type Doc,
  describePath,
  extensionNamed,
  resolvePath,
  type Target,
} from "./resource";
import { type AttrDef, findAttr, PATCH_OP, type ResourceDef } from "./schemas";

/**
 * RFC 7644 §3.5.2 PATCH on a Doc, returning the changed copy (the caller turns it into Lockstep's columns and
 * writes once). Besides the RFC, what the two big provisioning clients send:
 * - Entra: capitalised op names (`"Replace"`), string booleans (`"False"`), path-less values whose keys are
 *   paths (`{ "name.givenName": "x", "urn:…:User:department": "y" }`), a bare string for `manager`, and
 *   `remove` of `members` with the members to remove as the value.
 * - Okta: `replace` of `active` without a path, and path-less replaces that repeat the read-only `id`.
 * `add` and `replace` through a value filter that matches nothing (`emails[type eq "work"].value`) create the
 * value when the filter is plain `eq` tests (the value then has those sub-attributes); otherwise 400 noTarget.
 */
export type PatchOperation = { op: "add" | "replace" | "remove"; path: PatchPath | null; value: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const syntax = (detail: string) => new ScimError(400, "invalidSyntax", detail);
const MAX_OPERATIONS = 1000;

/** Reads a PatchOp message body; anything malformed is a 400 naming the operation. */
export function readPatch(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw syntax("The request body must be a JSON PatchOp message.");
  const schemas = body.schemas;
  if (Array.isArray(schemas) && !schemas.includes(PATCH_OP)) {
    throw new ScimError(400, "invalidValue", `A PATCH body's "schemas" must be ["${PATCH_OP}"].`);
  }
  const ops = body.Operations ?? body.operations;
  if (!Array.isArray(ops) || ops.length === 0) throw syntax('A PatchOp needs a non-empty "Operations" list.');
  if (ops.length > MAX_OPERATIONS) throw new ScimError(400, "tooMany", `At most ${MAX_OPERATIONS} operations.`);
  return ops.map((raw, i) => {
    const n = i + 1;
    if (!isObject(raw)) throw syntax(`Operation ${n} must be an object.`);
    const op = typeof raw.op === "string" ? raw.op.toLowerCase() : "";
    if (op !== "add" && op !== "replace" && op !== "remove") {
      throw syntax(`Operation ${n}: "op" must be add, replace or remove.`);
    }
    if (raw.path !== undefined && typeof raw.path !== "string")
      throw syntax(`Operation ${n}: "path" must be a string.`);
    const path = typeof raw.path === "string" && raw.path.trim() !== "" ? parsePatchPath(raw.path) : null;
    if (op === "remove" && !path) throw new ScimError(400, "noTarget", `Operation ${n}: remove needs a "path".`);
    if (op !== "remove" && raw.value === undefined) {
      throw new ScimError(400, "invalidValue", `Operation ${n}: ${op} needs a "value".`);
    }
    return { op, path, value: raw.value };
  });
}

/** Applies the operations in order to a copy of `doc`. */
export function applyPatch(def: ResourceDef, doc: Doc, operations: readonly PatchOperation[]): Doc {
  const out = structuredClone(doc);
  for (const operation of operations) {
    if (operation.path) {
      applyOne(def, out, operation.op, operation.path, operation.value, false);
      continue;
    }
    // No path: the value holds attributes (or, from Entra, paths) and their values.
    if (!isObject(operation.value)) {
      throw new ScimError(400, "invalidValue", `${operation.op} without a "path" needs an object of attributes.`);
    }
    for (const [key, value] of Object.entries(operation.value)) {
      // Clients echo what they read: the message's own schemas and the resource's meta are not attributes to set.
      if (key.toLowerCase() === "schemas" || key.toLowerCase() === "meta") continue;
      const ext = def.extensions.find((e) => e.id.toLowerCase() === key.toLowerCase());
      if (ext && isObject(value)) {
        for (const [k, v] of Object.entries(value))
          applyOne(def, out, operation.op, parsePatchPath(`${ext.id}:${k}`), v, true);
      } else applyOne(def, out, operation.op, parsePatchPath(key), value, true);
    }
  }
  return out;
}

function applyOne(
  def: ResourceDef,
  doc: Doc,
  op: PatchOperation["op"],
  path: PatchPath,
  value: unknown,
  pathless: boolean,
): void {
  const ext = extensionNamed(def, path);
  if (ext) {
    // The whole extension: remove it, or add/replace its attributes one by one.
    if (op === "remove") delete doc[ext.id];
    else if (!isObject(value)) throw new ScimError(400, "invalidValue", `"${ext.id}" takes an object.`);
    else
      for (const [k, v] of Object.entries(value)) applyOne(def, doc, op, parsePatchPath(`${ext.id}:${k}`), v, pathless);
    return;
  }
  const target = resolvePath(def, path);
  if (!target) throw new ScimError(400, "invalidPath", `No attribute "${describePath(path)}" on a ${def.name}.`);
  const where = describePath(path);
  const readOnly = target.attr.mutability === "readOnly" || target.sub?.mutability === "readOnly";
  if (readOnly) {
    // Okta repeats the resource's own id in path-less replaces: an unchanged read-only value is no change.
    if (pathless && op !== "remove" && !path.filter && sameValue(getAt(doc, target), value)) return;
    throw new ScimError(400, "mutability", `"${where}" is read-only.`);
  }
  if (target.attr.mutability === "writeOnly") return; // the password: accepted, never kept
  if (path.filter) {
    if (!target.attr.multiValued) throw new ScimError(400, "invalidPath", `"${target.attr.name}" is not multi-valued.`);
    applyFiltered(doc, op, target, path.filter, value, where);
    return;
  }
  const container = containerOf(doc, target, op !== "remove");
  if (!container) return;
  const name = target.attr.name;
  if (target.sub) {
    const sub = target.sub;
    if (target.attr.multiValued) {
      // `emails.value` without a filter: every value of the attribute.
      const list = (container[name] as Doc[] | undefined) ?? [];
      if (op !== "remove" && list.length === 0) throw new ScimError(400, "noTarget", `"${name}" has no values.`);
      for (const item of list) setOrDelete(item, sub, op === "remove" ? undefined : value, where);
      return;
    }
    const parent = (container[name] as Doc | undefined) ?? {};
    setOrDelete(parent, sub, op === "remove" ? undefined : value, where);
    if (Object.keys(parent).length) container[name] = parent;
    else delete container[name];
    prune(doc, target);
    return;
  }
  if (op === "remove") {
    if (target.attr.required) throw new ScimError(400, "mutability", `"${name}" is required and cannot be removed.`);
    if (target.attr.multiValued && value !== undefined && value !== null) {
      // Entra removes group members this way: the values to remove, matched on `value`.
      const gone = new Set((coerceValue(target.attr, value, where) as Doc[] | undefined)?.map(keyOf) ?? []);
      const left = ((container[name] as Doc[] | undefined) ?? []).filter((item) => !gone.has(keyOf(item)));
      if (left.length) container[name] = left;
      else delete container[name];
    } else delete container[name];
    prune(doc, target);
    return;
  }
  const coerced = coerceValue(target.attr, value, where);
  if (coerced === undefined) {
    if (target.attr.required) throw new ScimError(400, "invalidValue", `"${name}" is required.`);
    delete container[name];
  } else if (target.attr.multiValued) {
    const incoming = coerced as Doc[];
    const current = op === "add" ? ((container[name] as Doc[] | undefined) ?? []) : [];
    const known = new Set(current.map(keyOf));
    const merged = [...current, ...incoming.filter((v) => !known.has(keyOf(v)))];
    container[name] = onePrimary(merged, incoming);
  } else if (target.attr.type === "complex") {
    // RFC 7644 §3.5.2.3: sub-attributes not given are left unchanged — for add and replace alike.
    container[name] = { ...((container[name] as Doc | undefined) ?? {}), ...(coerced as Doc) };
  } else container[name] = coerced;
  prune(doc, target);
}

function applyFiltered(
  doc: Doc,
  op: PatchOperation["op"],
  target: Target,
  filter: Filter,
  value: unknown,
  where: string,
): void {
  const attr = target.attr;
  const subs = attr.subAttributes ?? [];
  const container = containerOf(doc, target, op !== "remove");
  if (!container) return;
  const list = ((container[attr.name] as Doc[] | undefined) ?? []).slice();
  const hits = list.map((item, i) => (matches(filter, item, subs) ? i : -1)).filter((i) => i >= 0);
  if (op === "remove") {
    const left = target.sub
      ? list.map((item, i) => (hits.includes(i) ? withoutKey(item, target.sub!.name) : item))
      : list.filter((_, i) => !hits.includes(i));
    if (left.length) container[attr.name] = left;
    else delete container[attr.name];
    prune(doc, target);
    return;
  }
  if (hits.length === 0) {
    const seed = eqConjunction(filter, subs);
    if (!seed) throw new ScimError(400, "noTarget", `No value of "${attr.name}" matches "${where}".`);
    list.push(seed);
    hits.push(list.length - 1);
  }
  for (const i of hits) {
    if (target.sub) setOrDelete(list[i], target.sub, value, where);
    else {
      const coerced = coerceValue({ ...attr, multiValued: false }, value, where) as Doc | undefined;
      list[i] = op === "add" ? { ...list[i], ...coerced } : (coerced ?? {});
    }
  }
  const kept = list.filter((item) => Object.keys(item).length > 0);
  if (kept.length)
    container[attr.name] = onePrimary(
      kept,
      hits.map((i) => list[i]),
    );
  else delete container[attr.name];
}

/** Whether one value of a multi-valued attribute passes a value filter (sub-attribute names resolved on `subs`). */
function matches(filter: Filter, item: Doc, subs: readonly AttrDef[]): boolean {
  switch (filter.kind) {
    case "and":
      return matches(filter.left, item, subs) && matches(filter.right, item, subs);
    case "or":
      return matches(filter.left, item, subs) || matches(filter.right, item, subs);
    case "not":
      return !matches(filter.filter, item, subs);
    case "valuePath":
      throw new ScimError(400, "invalidPath", "A value filter cannot be nested.");
    default: {
      const sub = findAttr(subs, filter.path.attr);
      if (!sub || filter.path.uri || filter.path.sub) {
        throw new ScimError(400, "invalidPath", `No sub-attribute "${describePath(filter.path)}".`);
      }
      const actual = item[sub.name];
      if (filter.kind === "present") return actual !== undefined && actual !== null && actual !== "";
      return compare(filter.op, actual, filter.value, sub);
    }
  }
}

function compare(op: string, actual: unknown, expected: unknown, sub: AttrDef): boolean {
  if (sub.type === "boolean" && typeof expected === "string" && /^(true|false)$/i.test(expected)) {
    expected = expected.toLowerCase() === "true";
  }
  if (expected === null) return op === "eq" ? actual === undefined : op === "ne" ? actual !== undefined : false;
  if (actual === undefined || actual === null) return op === "ne";
  const fold = (v: unknown) => (typeof v === "string" && !sub.caseExact ? v.toLowerCase() : v);
  const a = fold(actual);
  const e = fold(expected);
  switch (op) {
    case "eq":
      return a === e;
    case "ne":
      return a !== e;
    case "co":
      return typeof a === "string" && typeof e === "string" && a.includes(e);
    case "sw":
      return typeof a === "string" && typeof e === "string" && a.startsWith(e);
    case "ew":
      return typeof a === "string" && typeof e === "string" && a.endsWith(e);
    default: {
      if (typeof a !== typeof e || typeof a === "boolean") return false;
      const x = a as string | number;
      const y = e as string | number;
      return op === "gt" ? x > y : op === "ge" ? x >= y : op === "lt" ? x < y : x <= y;
    }
  }
}

/** `type eq "work" and primary eq true` → `{ type: "work", primary: true }`; null for anything else. */
function eqConjunction(filter: Filter, subs: readonly AttrDef[]): Doc | null {
  if (filter.kind === "and") {
    const l = eqConjunction(filter.left, subs);
    const r = eqConjunction(filter.right, subs);
    return l && r ? { ...l, ...r } : null;
  }
  if (filter.kind !== "compare" || filter.op !== "eq" || filter.value === null) return null;
  const sub = findAttr(subs, filter.path.attr);
  if (!sub || sub.mutability === "readOnly") return null;
  const coerced = coerceValue(sub, filter.value, sub.name);
  return coerced === undefined ? null : { [sub.name]: coerced };
}

function setOrDelete(item: Doc, sub: AttrDef, value: unknown, where: string) {
  if (sub.mutability === "readOnly") throw new ScimError(400, "mutability", `"${where}" is read-only.`);
  const coerced = coerceValue(sub, value, where);
  if (coerced === undefined) delete item[sub.name];
  else item[sub.name] = coerced;
}

/** The object holding the target attribute: the Doc, or its extension's object (created for add/replace). */
function containerOf(doc: Doc, target: Target, create: boolean): Doc | null {
  if (!target.schema) return doc;
  const existing = doc[target.schema.id];
  if (isObject(existing)) return existing;
  if (!create) return null;
  const fresh: Doc = {};
  doc[target.schema.id] = fresh;
  return fresh;
}

/** An extension left empty is no extension. */
function prune(doc: Doc, target: Target) {
  if (target.schema && isObject(doc[target.schema.id]) && Object.keys(doc[target.schema.id] as Doc).length === 0) {
    delete doc[target.schema.id];
  }
}

function getAt(doc: Doc, target: Target): unknown {
  const container = target.schema ? (doc[target.schema.id] as Doc | undefined) : doc;
  const v = container?.[target.attr.name];
  return target.sub ? (v as Doc | undefined)?.[target.sub.name] : v;
}

const sameValue = (a: unknown, b: unknown) =>
  a !== undefined &&
  (typeof a === "object" || typeof b === "object" ? canonicalJson(a) === canonicalJson(b) : String(a) === String(b));

/** What makes two values of a multi-valued attribute the same: their `value` when they have one. */
const keyOf = (item: Doc) => (item.value !== undefined ? `v:${String(item.value).toLowerCase()}` : canonicalJson(item));

const withoutKey = (item: Doc, key: string) => Object.fromEntries(Object.entries(item).filter(([k]) => k !== key));

/** RFC 7643 §2.4: at most one value is primary; a value just set primary wins. */
function onePrimary(list: Doc[], changed: readonly Doc[]): Doc[] {
  const winner = changed.find((v) => v.primary === true) ?? list.find((v) => v.primary === true);
  return list.map((v) => (v.primary === true && v !== winner ? { ...v, primary: false } : v));
}
