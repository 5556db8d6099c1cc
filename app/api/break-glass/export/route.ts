import { exportCsv } from "@/lib/audit/internal";
import { REQUEST_CSV_HEADER, requestCsvRows } from "@/lib/break-glass/list";
import { requestFilters } from "@/lib/break-glass/schemas";
import { defineRoute } from "@/lib/edge/route";

/** The request list as filtered on screen (and scoped to what the caller may see), times in UTC. */
export const GET = defineRoute({
  name: "break_glass.export",
  permission: "break_glass.request",
  rateLimit: "export",
  query: requestFilters,
  async handler({ ctx, query: filters }) {
    return exportCsv(ctx, {
      event: "break_glass.export",
      file: `break-glass-${ctx.now.toISOString().slice(0, 10)}.csv`,
      filters,
      header: REQUEST_CSV_HEADER,
      rows: requestCsvRows(ctx, filters),
    });
  },
});
