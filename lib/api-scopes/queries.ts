import "server-only";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { apiEndpoints, identities, systems } from "@/db/schema";
import { credentialStatus, dataClass, identityStatus } from "@/db/schema/enums";
import { intArray } from "@/db/sql";
import { authorize, identityScope, inTeam, peopleReach } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { keysetCondition, keysetOrder, type Page, toPage } from "@/lib/pagination";
import { searchText } from "@/lib/people/queries";
import { containsPattern } from "@/lib/sql-like";
import { countedBefore, counterTotal, thresholdBefore } from "./finding-counters";
import { findingIdsSql, findingSql } from "./findings-sql";
import { loadPolicy } from "./policy";
import { FINDING_IDS, type Policy } from "./rules";
import type { InventoryFilters, InventoryInput } from "./schemas";

const inventoryRow = z.object({
  id: col.int,
  name: col.text,
  kind: col.text,
  status: z.enum(credentialStatus.enumValues),
  systemId: col.int,
  system: col.text,
  scopes: col.textArray,
  holderId: col.int,
  holder: col.text,
  holderKind: col.text,
  ownerId: col.intOrNull,
  owner: col.textOrNull,
  ownerStatus: z.enum(identityStatus.enumValues).nullable(),
  department: col.textOrNull,
  createdAt: col.iso,
  lastUsedAt: col.isoOrNull,
  expiresAt: col.isoOrNull,
  lastRotatedAt: col.isoOrNull,
  blastRadius: col.int,
  reachEndpoints: col.int,
  reachBulk: col.int,
  maxRecordsPerCall: col.intOrNull,
  dataClasses: col.array(z.enum(dataClass.enumValues)),
  findings: col.array(z.enum(FINDING_IDS)),
});
export type InventoryRow = z.output<typeof inventoryRow>;

/**
 * Who the actor may see: a manager, the credentials their team (reports at every level) holds or owns;
 * analysts and admins, all. The team is read first and passed as one array parameter, so the planner sees its
 * real size: a team of eight is two index lookups, a division of 26,000 a hashed filter on the blast-radius
 * order — either way one plan that fits (a recursive subquery in the filter gets neither).
 */
export function credentialScope(ctx: Ctx): Promise<SQL | undefined> {
  if (peopleReach(ctx.actor) === "all") return Promise.resolve(undefined);
  // Read once per request context: a page (list, counts, filters) or an export (every batch) reuses it.
  let scope = teamScopes.get(ctx);
  if (!scope) {
    const team = inTeam(ctx.actor, sql`i.id`);
    scope = queryRows(ctx.db, sql`SELECT i.id FROM identities i WHERE ${team}`, z.object({ id: col.int })).then(
      (rows) => {
        const ids = intArray(rows.map((r) => r.id));
        return sql`(cr.owner_id = ANY(${ids}) OR cr.holder_id = ANY(${ids}))`;
      },
    );
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
      ? sql`EXISTS (SELECT 1 FROM api_endpoints e WHERE e.id = ${f.endpoint} AND e.system_id = cr.issuer_system_id AND api_endpoint_reached(e.scope_sets, c.scopes))`
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
  const rows = await queryRows(
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
    inventoryRow,
  );
  return toPage(rows, input, (r) => [r.blastRadius, r.id]);
}

const COUNTED = [...FINDING_IDS, "stale_bulk"] as const;
/** Every counted finding, and `live`: an enum-keyed record is exhaustive, so a missing count fails to parse. */
const findingCountsRow = z.record(z.enum(["live", ...COUNTED]), col.int);
export type FindingCounts = z.output<typeof findingCountsRow>;

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
  return row;
}

async function countRows(ctx: Ctx, filters: InventoryFilters, p: Policy) {
  const counts = COUNTED.map(
    (id) => sql`(count(*) FILTER (WHERE ${findingSql(id, p, ctx.now)}))::int AS ${sql.identifier(id)}`,
  );
  // The endpoint filter needs the credential's scopes; everything else reads the rollup alone.
  const join = filters.endpoint ? sql`JOIN credentials c ON c.id = cr.credential_id` : sql``;
  const where = await filterWhere(ctx, { ...filters, status: "active" });
  const [row] = await queryRows(
    ctx.db,
    sql`
    SELECT (count(*))::int AS live, ${sql.join(counts, sql`, `)} FROM credential_risk cr ${join} WHERE ${where ?? sql`true`}`,
    findingCountsRow,
  );
  return row;
}

/** Counters (credential_risk_counts): see ./finding-counters.ts. */
async function countFromCounters(ctx: Ctx, p: Policy) {
  const stale = thresholdBefore(ctx.now, p.staleAfterDays);
  const rotate = thresholdBefore(ctx.now, p.rotationMaxDays);
  const total = counterTotal;
  const before = countedBefore;
  const [row] = await queryRows(
    ctx.db,
    sql`
    SELECT ${total("live")}::int AS live, ${total("orphaned")}::int AS orphaned, ${total("leaver_holder")}::int AS leaver_holder,
           ${total("bulk_pii")}::int AS bulk_pii, ${total("no_expiry")}::int AS no_expiry,
           ${before("stale", stale, sql`cr.last_activity_at`)}::int AS stale,
           ${before("stale_bulk", stale, sql`cr.last_activity_at`, sql`AND cr.reach_bulk > 0`)}::int AS stale_bulk,
           ${before("over_scoped", stale, sql`cr.idle_scope_since`)}::int AS over_scoped,
           ${before("rotation_overdue", rotate, sql`cr.rotation_anchor_at`)}::int AS rotation_overdue`,
    findingCountsRow,
  );
  return row;
}

/** Issuers and departments for the filter selects (issuers that hold any credential in the actor's scope). */
export async function filterOptions(ctx: Ctx) {
  authorize(ctx.actor, "api_scopes.read");
  const scope = await credentialScope(ctx);
  const [systems, departments] = await Promise.all([
    queryRows(
      ctx.db,
      sql`
      SELECT s.id, s.name FROM systems s
       WHERE EXISTS (SELECT 1 FROM credential_risk cr WHERE cr.live AND cr.issuer_system_id = s.id ${scope ? sql`AND ${scope}` : sql``})
       ORDER BY s.name`,
      z.object({ id: col.int, name: col.text }),
    ),
    queryRows(
      ctx.db,
      sql`
      WITH RECURSIVE tree(id, name, depth, path) AS (
        SELECT id, name, 0, ARRAY[name] FROM departments WHERE parent_id IS NULL
        UNION ALL SELECT d.id, d.name, t.depth + 1, t.path || d.name FROM departments d JOIN tree t ON d.parent_id = t.id
      ) SELECT id, name, depth FROM tree ORDER BY path`,
      z.object({ id: col.int, name: col.text, depth: col.int }),
    ),
  ]);
  return { systems, departments };
}

/** Display names for the owner and endpoint filter chips. */
export async function filterLabels(ctx: Ctx, f: InventoryFilters): Promise<{ owner?: string; endpoint?: string }> {
  authorize(ctx.actor, "api_scopes.read");
  // The owner's name only when the viewer may see that person (a manager: their team): `?owner=<id>` is no
  // directory lookup.
  const [owner] = f.owner
    ? await ctx.db
        .select({ name: identities.displayName })
        .from(identities)
        .where(and(eq(identities.id, f.owner), identityScope(ctx.actor)))
    : [];
  const [endpoint] = f.endpoint
    ? await ctx.db
        .select({
          name: sql<string>`${apiEndpoints.method}::text || ' ' || ${apiEndpoints.path} || ' on ' || ${systems.name}`,
        })
        .from(apiEndpoints)
        .innerJoin(systems, eq(systems.id, apiEndpoints.systemId))
        .where(eq(apiEndpoints.id, f.endpoint))
    : [];
  return { owner: owner?.name, endpoint: endpoint?.name };
}
