import "server-only";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { allPages, utc } from "@/lib/csv";
import { loadPolicy } from "./policy";
import { listInventory } from "./queries";
import type { InventoryFilters } from "./schemas";

export const INVENTORY_CSV_HEADER = [
  "id",
  "name",
  "kind",
  "status",
  "issuer_system",
  "holder",
  "holder_kind",
  "owner",
  "owner_status",
  "department",
  "scopes",
  "created_at_utc",
  "last_used_at_utc",
  "expires_at_utc",
  "last_rotated_at_utc",
  "blast_radius",
  "bulk_endpoints",
  "max_records_per_call",
  "data_classes",
  "findings",
];

/** The inventory as filtered on screen, every page, in blast-radius order; times in UTC. */
export async function* inventoryCsvRows(ctx: Ctx, filters: InventoryFilters): AsyncGenerator<unknown[]> {
  authorize(ctx.actor, "api_scopes.read");
  const policy = await loadPolicy(ctx.db);
  for await (const c of allPages((after) => listInventory(ctx, { ...filters, after, limit: 1000 }, policy))) {
    yield [
      c.id,
      c.name,
      c.kind,
      c.status,
      c.system,
      c.holder,
      c.holderKind,
      c.owner ?? "",
      c.ownerStatus ?? "none",
      c.department ?? "",
      c.scopes.join(" "),
      utc(c.createdAt),
      utc(c.lastUsedAt),
      utc(c.expiresAt),
      utc(c.lastRotatedAt),
      c.blastRadius,
      c.reachBulk,
      c.maxRecordsPerCall ?? "",
      c.dataClasses.join(" "),
      c.findings.join(" "),
    ];
  }
}
