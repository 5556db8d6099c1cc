import { type SQL, sql } from "drizzle-orm";
import { escapeLike } from "@/lib/sql-like";
import { ScimError } from "./errors";
import type { AttrPath, CompareOp, Filter, FilterValue } from "./filter";
import { describePath, resolvePath } from "./resource";
import type { ResourceDef } from "./schemas";

/**
 * A parsed filter as a SQL condition. Only attributes in the resource's column map can be filtered on (a
 * whitelist: anything else is a 400 `invalidFilter`), every value is a bound parameter, and comparisons follow
 * the attribute's type (RFC 7644 §3.4.2.2): case-insensitive unless `caseExact`, booleans only `eq`/`ne`,
 * dates compared as instants. Missing values never match except under `ne` and `not`; `userName eq "…"` stays
 * the indexed expression `lower(coalesce(user_name, email)) = $1`.
 */
type Column = { type: "string" | "boolean" | "dateTime" | "id"; caseExact: boolean; sql: SQL };
/**
 * A multi-valued attribute: its sub-attributes as columns, the one a bare `emails eq "…"` means, and how a
 * condition on its values becomes one on the resource (an EXISTS over a join table), if it needs one.
 */
type MultiColumn = { sub: Record<string, Column>; bare: string; within?: (condition: SQL) => SQL };
/** Keys: `attr` or `attr.sub` lower-cased; an extension's attributes prefixed by its URN (lower-cased) and ":". */
export type ColumnMap = { scalar: Record<string, Column>; multi: Record<string, MultiColumn> };

const bad = (detail: string) => new ScimError(400, "invalidFilter", detail);

export function filterToSql(def: ResourceDef, columns: ColumnMap, filter: Filter): SQL {
  return translate(def, columns, filter, null);
}

function translate(def: ResourceDef, columns: ColumnMap, f: Filter, scope: MultiColumn | null): SQL {
  switch (f.kind) {
    case "and":
      return sql`(${translate(def, columns, f.left, scope)} AND ${translate(def, columns, f.right, scope)})`;
    case "or":
      return sql`(${translate(def, columns, f.left, scope)} OR ${translate(def, columns, f.right, scope)})`;
    case "not":
      // IS NOT TRUE: a comparison with a missing value is NULL, which `not` must count as not matching.
      return sql`((${translate(def, columns, f.filter, scope)}) IS NOT TRUE)`;
    case "valuePath": {
      if (scope) throw bad("A value filter cannot be nested.");
      const multi = multiOf(def, columns, f.path);
      const inner = translate(def, columns, f.filter, multi);
      return multi.within ? multi.within(inner) : inner;
    }
    default: {
      const { column, wrap } = columnOf(def, columns, f.path, scope);
      const condition = f.kind === "present" ? present(column) : compare(column, f.op, f.value, f.path);
      return wrap ? wrap(condition) : condition;
    }
  }
}

function keyOf(def: ResourceDef, path: AttrPath): { key: string; multiValued: boolean; sub: string | null } {
  const target = resolvePath(def, path);
  if (!target) throw bad(`Unknown attribute "${describePath(path)}" in the filter.`);
  const prefix = target.schema ? `${target.schema.id.toLowerCase()}:` : "";
  return {
    key: prefix + target.attr.name.toLowerCase(),
    multiValued: target.attr.multiValued,
    sub: target.sub?.name.toLowerCase() ?? null,
  };
}

function multiOf(def: ResourceDef, columns: ColumnMap, path: AttrPath): MultiColumn {
  const { key, multiValued, sub } = keyOf(def, path);
  const multi = columns.multi[key];
  if (!multiValued || sub || !multi) throw bad(`"${describePath(path)}" cannot take a value filter here.`);
  return multi;
}

function columnOf(
  def: ResourceDef,
  columns: ColumnMap,
  path: AttrPath,
  scope: MultiColumn | null,
): { column: Column; wrap?: (c: SQL) => SQL } {
  if (scope) {
    const column = path.uri || path.sub ? undefined : scope.sub[path.attr.toLowerCase()];
    if (!column) throw bad(`"${describePath(path)}" cannot be filtered on inside this value filter.`);
    return { column };
  }
  const { key, multiValued, sub } = keyOf(def, path);
  if (multiValued) {
    const multi = columns.multi[key];
    const column = multi?.sub[sub ?? multi.bare];
    if (!multi || !column) throw bad(`"${describePath(path)}" cannot be filtered on.`);
    return { column, wrap: multi.within };
  }
  const column = columns.scalar[sub ? `${key}.${sub}` : key];
  if (!column) throw bad(`"${describePath(path)}" cannot be filtered on.`);
  return { column };
}

function present(c: Column): SQL {
  return c.type === "string" ? sql`(${c.sql} IS NOT NULL AND ${c.sql} <> '')` : sql`(${c.sql} IS NOT NULL)`;
}

function compare(c: Column, op: CompareOp, value: FilterValue, path: AttrPath): SQL {
  const name = describePath(path);
  if (value === null) {
    if (op === "eq") return sql`(${c.sql} IS NULL)`;
    if (op === "ne") return sql`(${c.sql} IS NOT NULL)`;
    throw bad(`"${op} null" is not a comparison (on "${name}").`);
  }
  if (c.type === "boolean") {
    const b = typeof value === "string" && /^(true|false)$/i.test(value) ? value.toLowerCase() === "true" : value;
    if (typeof b !== "boolean") throw bad(`"${name}" is true or false.`);
    if (op === "eq") return sql`(${c.sql} = ${b})`;
    if (op === "ne") return sql`(${c.sql} IS DISTINCT FROM ${b})`;
    throw bad(`"${name}" is a boolean: only eq and ne compare it.`);
  }
  if (typeof value !== "string") throw bad(`"${name}" is compared with a quoted string.`);
  if (c.type === "dateTime") {
    if (Number.isNaN(Date.parse(value))) throw bad(`"${value.slice(0, 100)}" is not a date and time.`);
    const v = sql`${new Date(value).toISOString()}::timestamptz`;
    if (["co", "sw", "ew"].includes(op)) throw bad(`"${name}" is a date: ${op} does not apply.`);
    return ordered(c.sql, op, v);
  }
  if (c.type === "id" && op === "eq") {
    // An id is a number in Lockstep: compare it as one (the primary key), or match nothing.
    return /^\d{1,9}$/.test(value) ? sql`(${c.sql} = ${Number(value)})` : sql`false`;
  }
  const column = c.type === "id" ? sql`(${c.sql})::text` : c.sql;
  const folded = c.caseExact ? column : sql`lower(${column})`;
  const v = c.caseExact ? value : value.toLowerCase();
  switch (op) {
    case "co":
      return sql`(${folded} LIKE ${`%${escapeLike(v)}%`})`;
    case "sw":
      return sql`(${folded} LIKE ${`${escapeLike(v)}%`})`;
    case "ew":
      return sql`(${folded} LIKE ${`%${escapeLike(v)}`})`;
    default:
      return ordered(folded, op, sql`${v}`);
  }
}

function ordered(left: SQL, op: CompareOp, right: SQL): SQL {
  switch (op) {
    case "eq":
      return sql`(${left} = ${right})`;
    case "ne":
      return sql`(${left} IS DISTINCT FROM ${right})`;
    case "gt":
      return sql`(${left} > ${right})`;
    case "ge":
      return sql`(${left} >= ${right})`;
    case "lt":
      return sql`(${left} < ${right})`;
    default:
      return sql`(${left} <= ${right})`;
  }
}
