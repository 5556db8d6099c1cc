import { ScimError } from "./errors";
import { type Filter, parseAttrPath, parseFilter } from "./filter";
import { type Doc, resolvePath, type Target } from "./resource";
import { LIST_RESPONSE, type ResourceDef } from "./schemas";

/**
 * Query parameters of a GET on a resource collection (RFC 7644 §3.4.2): `filter`, `startIndex` (1-based; below 1
 * reads as 1), `count` (below 0 reads as 0, which answers `totalResults` only). A `count` above `MAX_RESULTS` —
 * the page size advertised in /ServiceProviderConfig — is refused with 400 `tooMany`, never silently cut, so a
 * client cannot take a short page for the end of the list.
 */
export const MAX_RESULTS = 500;
const DEFAULT_COUNT = 100;

export type ListQuery = {
  filter: Filter | null;
  startIndex: number;
  count: number;
  attributes: Target[] | null;
  excludedAttributes: Target[];
};

const integer = (name: string, raw: string | null): number | null => {
  if (raw === null || raw.trim() === "") return null;
  if (!/^-?\d{1,15}$/.test(raw.trim())) throw new ScimError(400, "invalidValue", `"${name}" must be an integer.`);
  return Number(raw.trim());
};

export function readListQuery(def: ResourceDef, params: URLSearchParams): ListQuery {
  const filterText = params.get("filter");
  const count = integer("count", params.get("count")) ?? DEFAULT_COUNT;
  if (count > MAX_RESULTS) {
    throw new ScimError(400, "tooMany", `"count" may be at most ${MAX_RESULTS} (this server's maxResults).`);
  }
  return {
    filter: filterText !== null && filterText.trim() !== "" ? parseFilter(filterText) : null,
    startIndex: Math.max(1, Math.min(integer("startIndex", params.get("startIndex")) ?? 1, 2 ** 31 - 1)),
    count: Math.max(0, count),
    attributes: params.get("attributes") ? targets(def, params.get("attributes")!) : null,
    excludedAttributes: params.get("excludedAttributes") ? targets(def, params.get("excludedAttributes")!) : [],
  };
}

/** The projection parameters of a single-resource GET (and of write responses). */
export function readProjection(
  def: ResourceDef,
  params: URLSearchParams,
): Pick<ListQuery, "attributes" | "excludedAttributes"> {
  return {
    attributes: params.get("attributes") ? targets(def, params.get("attributes")!) : null,
    excludedAttributes: params.get("excludedAttributes") ? targets(def, params.get("excludedAttributes")!) : [],
  };
}

/** Attribute names the schemas do not know are ignored, as RFC 7644 §3.9 allows. */
function targets(def: ResourceDef, list: string): Target[] {
  return list
    .split(",")
    .slice(0, 100)
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap((s) => {
      try {
        const t = resolvePath(
          def,
          parseAttrPath(s, (d) => new ScimError(400, "invalidValue", d)),
        );
        return t ? [t] : [];
      } catch {
        return [];
      }
    });
}

/**
 * `attributes` keeps only the named ones (and `id`, `schemas`, `meta`, which are always returned);
 * `excludedAttributes` drops the named ones (never `id`). Sub-attributes work in both (`name.givenName`).
 */
export function project(doc: Doc, p: Pick<ListQuery, "attributes" | "excludedAttributes">): Doc {
  let out = doc;
  if (p.attributes) {
    out = { schemas: doc.schemas, id: doc.id, meta: doc.meta };
    for (const t of p.attributes) {
      const from = t.schema ? (doc[t.schema.id] as Doc | undefined) : doc;
      const value = from?.[t.attr.name];
      if (value === undefined) continue;
      if (t.schema && !out[t.schema.id]) out[t.schema.id] = {};
      const into = t.schema ? (out[t.schema.id] as Doc) : out;
      if (!t.sub) into[t.attr.name] = value;
      else if (Array.isArray(value)) {
        const before = (into[t.attr.name] as Doc[] | undefined) ?? [];
        into[t.attr.name] = (value as Doc[]).map((v, i) => ({ ...before[i], [t.sub!.name]: v[t.sub!.name] }));
      } else if (typeof value === "object" && value !== null && (value as Doc)[t.sub.name] !== undefined) {
        into[t.attr.name] = {
          ...((into[t.attr.name] as Doc | undefined) ?? {}),
          [t.sub.name]: (value as Doc)[t.sub.name],
        };
      }
    }
  }
  if (p.excludedAttributes.length) {
    out = structuredClone(out);
    for (const t of p.excludedAttributes) {
      if (t.attr.name === "id") continue;
      const from = t.schema ? (out[t.schema.id] as Doc | undefined) : out;
      if (!from) continue;
      if (!t.sub) delete from[t.attr.name];
      else {
        const v = from[t.attr.name];
        for (const item of Array.isArray(v) ? v : v ? [v] : []) delete (item as Doc)[t.sub.name];
      }
    }
  }
  return out;
}

export function listResponse(resources: Doc[], total: number, startIndex: number) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
