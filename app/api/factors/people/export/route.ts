import { csvResponse } from "@/lib/csv";
import { parseInput } from "@/lib/edge";
import { CELL_CSV_HEADER, cellPeopleCsvRows } from "@/lib/factors/export";
import { cellFilters } from "@/lib/factors/schemas";
import { defineRoute } from "@/lib/route";

/** The people behind a heatmap cell or a what-if figure, as CSV (UTC): analysts and admins only. */
export const GET = defineRoute({
  name: "factors.export_people",
  permission: "factors.people",
  async handler({ ctx, request }) {
    const filters = parseInput(cellFilters, Object.fromEntries(new URL(request.url).searchParams));
    const stamp = ctx.now.toISOString().slice(0, 10);
    return csvResponse(`factor-strength-people-${stamp}.csv`, CELL_CSV_HEADER, cellPeopleCsvRows(ctx, filters));
  },
});
