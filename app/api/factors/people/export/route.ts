import { exportCsv } from "@/lib/audit/internal";
import { defineRoute } from "@/lib/edge/route";
import { CELL_CSV_HEADER, cellPeopleCsvRows } from "@/lib/factors/export";
import { cellFilters } from "@/lib/factors/schemas";

/**
 * The people behind a heatmap cell or a what-if figure, as CSV (UTC): an export of personal records, so analysts
 * and admins only (a manager sees their team's cells on the page but does not export them).
 */
export const GET = defineRoute({
  name: "factor.export",
  permission: "people.export",
  rateLimit: "export",
  query: cellFilters,
  async handler({ ctx, query: filters }) {
    const stamp = ctx.now.toISOString().slice(0, 10);
    return exportCsv(ctx, {
      event: "factor.export",
      file: `factor-strength-people-${stamp}.csv`,
      filters,
      header: CELL_CSV_HEADER,
      rows: cellPeopleCsvRows(ctx, filters),
    });
  },
});
