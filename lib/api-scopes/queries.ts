import "server-only";
import { and, type SQL, sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { authorize, inTeam, peopleReach } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { keysetCondition, keysetOrder, type Page, toPage } from "@/lib/pagination";
import { searchText } from "@/lib/people/queries";
import { containsPattern } from "@/lib/sql-like";
import { countedBefore, counterTotal, thresholdBefore } from "./finding-counters";
import { findingIdsSql, findingSql } from "./findings-sql";
import { loadPolicy } from "./policy";
import { type DataClass, FINDING_IDS, type FindingId, type Policy } from "./rules";
import type { InventoryFilters, InventoryInput } from "./schemas";

export type InventoryRow = {
  id: number;
  name: string;
  kind: string;
  status: "active" | "revoked" | "expired";
  systemId: number;
  system: string;
  scopes: string[];
  holderId: number;
  holder: string;
  holderKind: string;
  ownerId: number | null;
  owner: string | null;
  ownerStatus: "active" | "leaver" | "disabled" | null;
  department: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  lastRotatedAt: string | null;
  blastRadius: number;
  reachEndpoints: number;
  reachBulk: number;
  maxRecordsPerCall: number | null;
  dataClasses: DataClass[];
  findings: FindingId[];
};

/**
 * Who the actor may see: a manager, the credentials their team (reports at every level) holds or owns;
 * analysts and admins, all. The team is read first and passed as a literal array, so the planner sees its
 * real size: a team of eight is two index lookups, a division of 26,000 a hashed filter on the blast-radius
 * order — either way one plan that fits (a recursive subquery in the filter gets neither).
 */
export function credentialScope(ctx: Ctx): Promise<SQL | undefined> {
  if (peopleReach(ctx.actor) === "all") return Promise.resolve(undefined);
  // Read once per request context: a page (list, counts, filters) or an export (every batch) reuses it.
  let scope = teamScopes.get(ctx);
  if (!scope) {
    const team = inTeam(ctx.actor, sql`i.id`);
    scope = queryRows<{ id: number }>(ctx.db, sql`SELECT i.id FROM identities i WHERE ${team}`).then((rows) => {
      const ids = sql`${`{${rows.map((r) => Number(r.id)).join(",")}}`}::int[]`;
      return sql`(cr.owner_id = ANY(${ids}) OR cr.holder_id = ANY(${ids}))`;
    });
    teamScopes.set(ctx, scope);
  }
  return scope;
}
const teamScopes = new WeakMap<Ctx, Promise<SQL>>();

/** The department and every department below it (divisions hold departments, departments hold teams). */
const departmentTree = (id: number) =>
  sql`(WITH RECURSIVE tree(id) AS (SELECT ${id}::int UNION SELECT d.id FROM departments d JOIN tree t ON d.parent_id = t.id) SELECT id FROM tree)`;

/** WHERE fragments shared by the list, the counts and the export (everything but the finding and the page). */
async function filterWhere(ctx: Ctx, f: InventoryFilters): Promise<SQL | undefined> {
  const status = f.status ?? "active";
  return and(
    await credentialScope(ctx),
    status === "all"
      ? undefined
      : status === "active"
        ? sql`cr.live`
        : sql`NOT cr.live AND c.status = ${status}::credential_status`,
    f.system ? sql`cr.issuer_system_id = ${f.system}` : undefined,
    f.kind ? sql`cr.kind = ${f.kind}::credential_kind` : undefined,
    f.owner ? sql`cr.owner_id = ${f.owner}` : undefined,
    f.q
      ? sql`cr.owner_id IN (SELECT identities.id FROM identities WHERE ${searchText} ILIKE ${containsPattern(f.q)})`
      : undefined,
    f.department ? sql`cr.department_id IN ${departmentTree(f.department)}` : undefined,
    f.bulk === "bulk"
      ? sql`cr.reach_bulk > 0`
      : f.bulk === "bulk_pii"
        ? sql`cr.bulk_pii`
        : f.bulk === "none"
          ? sql`cr.reach_bulk = 0`
          : undefined,
    f.endpoint
      ? sql`EXISTS (SELECT 1 FROM api_endpoints e WHERE e.id = ${f.endpoint} AND e.system_id = cr.issuer_system_id AND e.scope = ANY(c.scopes))`
      : undefined,
  );
}

const sortKeys = [sql`cr.blast_radius`, sql`cr.credential_id`];

/** The inventory page: most dangerous first (blast radius, then newest), keyset-paginated, scoped in SQL. */
export async function listInventory(ctx: Ctx, input: InventoryInput, policy?: Policy): Promise<Page<InventoryRow>> {
  authorize(ctx.actor, "api_scopes.read");
  const p = policy ?? (await loadPolicy(ctx.db));
  const where = and(
    await filterWhere(ctx, input),
    input.finding ? findingSql(input.finding, p, ctx.now) : undefined,
    keysetCondition(input, sortKeys, ["int", "int"], "desc"),
  );
  const rows = await queryRows<InventoryRow>(
    ctx.db,
    sql`
    SELECT cr.credential_id AS id, c.name, c.kind::text AS kind, c.status::text AS status, s.id AS "systemId", s.name AS system,
           c.scopes, h.id AS "holderId", h.display_name AS holder, h.kind::text AS "holderKind",
           o.id AS "ownerId", o.display_name AS owner, o.status::text AS "ownerStatus", d.name AS department,
           c.created_at AS "createdAt", c.last_used_at AS "lastUsedAt", c.expires_at AS "expiresAt", c.last_rotated_at AS "lastRotatedAt",
           cr.blast_radius AS "blastRadius", cr.reach_endpoints AS "reachEndpoints", cr.reach_bulk AS "reachBulk",
           cr.max_records_per_call AS "maxRecordsPerCall", cr.data_classes::text[] AS "dataClasses",
           ${findingIdsSql(p, ctx.now)} AS findings
      FROM credential_risk cr
      JOIN credentials c ON c.id = cr.credential_id
      JOIN systems s ON s.id = cr.issuer_system_id
      JOIN identities h ON h.id = cr.holder_id
      LEFT JOIN identities o ON o.id = cr.owner_id
      LEFT JOIN departments d ON d.id = cr.department_id
     WHERE ${where ?? sql`true`}
     ORDER BY ${keysetOrder(input, sortKeys, "desc")}
     LIMIT ${input.limit + 1}`,
  );
  return toPage(rows.map(normalize), input, (r) => [r.blastRadius, r.id]);
}

/** Drivers differ on timestamps (Date vs string) and arrays of enums: one shape for the UI. */
function normalize(r: InventoryRow): InventoryRow {
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  return {
    ...r,
    id: Number(r.id),
    blastRadius: Number(r.blastRadius),
    createdAt: iso(r.createdAt)!,
    lastUsedAt: iso(r.lastUsedAt),
    expiresAt: iso(r.expiresAt),
    lastRotatedAt: iso(r.lastRotatedAt),
    dataClasses: parseArray(r.dataClasses) as DataClass[],
    findings: parseArray(r.findings) as FindingId[],
    scopes: parseArray(r.scopes),
  };
}

export function parseArray(v: unknown): string[] {
  if (Array.isArray(v)) return v as string[];
  if (typeof v === "string")
    return v
      .replace(/^\{|\}$/g, "")
      .split(",")
      .filter(Boolean)
      .map((s) => s.replace(/^"|"$/g, ""));
  return [];
}

export type FindingCounts = { live: number; stale_bulk: number } & Record<FindingId, number>;
const COUNTED = [...FINDING_IDS, "stale_bulk"] as const;

/**
 * How many live credentials have each finding, within the actor's scope and the current filters. The whole
 * estate (analysts and admins, no filter) reads the maintained counters; anything narrower counts its rows.
 */
export async function findingCounts(ctx: Ctx, filters: InventoryFilters = {}, policy?: Policy): Promise<FindingCounts> {
  authorize(ctx.actor, "api_scopes.read");
  const p = policy ?? (await loadPolicy(ctx.db));
  const narrowed =
    peopleReach(ctx.actor) !== "all" ||
    (["system", "kind", "owner", "q", "department", "bulk", "endpoint"] as const).some((k) => filters[k] !== undefined);
  const row = narrowed ? await countRows(ctx, filters, p) : await countFromCounters(ctx, p);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as FindingCounts;
}

async function countRows(ctx: Ctx, filters: InventoryFilters, p: Policy) {
  const counts = COUNTED.map(
    (id) => sql`(count(*) FILTER (WHERE ${findingSql(id, p, ctx.now)}))::int AS ${sql.identifier(id)}`,
  );
  // The endpoint filter needs the credential's scopes; everything else reads the rollup alone.
  const join = filters.endpoint ? sql`JOIN credentials c ON c.id = cr.credential_id` : sql``;
  const where = await filterWhere(ctx, { ...filters, status: "active" });
  const [row] = await queryRows<FindingCounts>(
    ctx.db,
    sql`
    SELECT (count(*))::int AS live, ${sql.join(counts, sql`, `)} FROM credential_risk cr ${join} WHERE ${where ?? sql`true`}`,
  );
  return row;
}

/** Counters (credential_risk_counts): see ./finding-counters.ts. */
async function countFromCounters(ctx: Ctx, p: Policy) {
  const stale = thresholdBefore(ctx.now, p.staleAfterDays);
  const rotate = thresholdBefore(ctx.now, p.rotationMaxDays);
  const total = counterTotal;
  const before = countedBefore;
  const [row] = await queryRows<FindingCounts>(
    ctx.db,
    sql`
    SELECT ${total("live")}::int AS live, ${total("orphaned")}::int AS orphaned, ${total("leaver_holder")}::int AS leaver_holder,
           ${total("bulk_pii")}::int AS bulk_pii, ${total("no_expiry")}::int AS no_expiry,
           ${before("stale", stale, sql`cr.last_activity_at`)}::int AS stale,
           ${before("stale_bulk", stale, sql`cr.last_activity_at`, sql`AND cr.reach_bulk > 0`)}::int AS stale_bulk,
           ${before("over_scoped", stale, sql`cr.idle_scope_since`)}::int AS over_scoped,
           ${before("rotation_overdue", rotate, sql`cr.rotation_anchor_at`)}::int AS rotation_overdue`,
  );
  return row;
}

/** Issuers and departments for the filter selects (issuers that hold any credential in the actor's scope). */
export async function filterOptions(ctx: Ctx) {
  authorize(ctx.actor, "api_scopes.read");
  const scope = await credentialScope(ctx);
  const [systems, departments] = await Promise.all([
    queryRows<{ id: number; name: string }>(
      ctx.db,
      sql`
      SELECT s.id, s.name FROM systems s
       WHERE EXISTS (SELECT 1 FROM credential_risk cr WHERE cr.live AND cr.issuer_system_id = s.id ${scope ? sql`AND ${scope}` : sql``})
       ORDER BY s.name`,
    ),
    queryRows<{ id: number; name: string; depth: number }>(
      ctx.db,
      sql`
      WITH RECURSIVE tree(id, name, depth, path) AS (
        SELECT id, name, 0, ARRAY[name] FROM departments WHERE parent_id IS NULL
        UNION ALL SELECT d.id, d.name, t.depth + 1, t.path || d.name FROM departments d JOIN tree t ON d.parent_id = t.id
      ) SELECT id, name, depth FROM tree ORDER BY path`,
    ),
  ]);
  return { systems, departments };
}

/** Display names for the owner and endpoint filter chips. */
export async function filterLabels(ctx: Ctx, f: InventoryFilters): Promise<{ owner?: string; endpoint?: string }> {
  authorize(ctx.actor, "api_scopes.read");
  const [owner] = f.owner
    ? await queryRows<{ name: string }>(ctx.db, sql`SELECT display_name AS name FROM identities WHERE id = ${f.owner}`)
    : [];
  const [endpoint] = f.endpoint
    ? await queryRows<{ name: string }>(
        ctx.db,
        sql`SELECT e.method::text || ' ' || e.path || ' on ' || s.name AS name FROM api_endpoints e JOIN systems s ON s.id = e.system_id WHERE e.id = ${f.endpoint}`,
      )
    : [];
  return { owner: owner?.name, endpoint: endpoint?.name };
}
