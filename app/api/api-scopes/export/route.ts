import { INVENTORY_CSV_HEADER, inventoryCsvRows } from "@/lib/api-scopes/export";
import { inventoryFilters } from "@/lib/api-scopes/schemas";
import { exportCsv } from "@/lib/audit/internal";
import { defineRoute } from "@/lib/edge/route";

// The inventory as filtered on screen; a manager's file holds only what their team holds or owns.
export const GET = defineRoute({
  name: "api_scope.export",
  permission: "api_scopes.read",
  rateLimit: "export",
  query: inventoryFilters,
  async handler({ ctx, query: filters }) {
    const stamp = ctx.now.toISOString().slice(0, 10);
    return exportCsv(ctx, {
      event: "api_scope.export",
      file: `api-credentials-${stamp}.csv`,
      filters,
      header: INVENTORY_CSV_HEADER,
      rows: inventoryCsvRows(ctx, filters),
    });
  },
});
