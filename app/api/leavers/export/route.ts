import { exportCsv } from "@/lib/audit/internal";
import { defineRoute } from "@/lib/edge/route";
import { QUEUE_CSV_HEADER, queueCsvRows } from "@/lib/leavers/export";
import { queueFilters } from "@/lib/leavers/queries";

export const GET = defineRoute({
  name: "leaver.export",
  permission: "leavers.read",
  rateLimit: "export",
  query: queueFilters,
  async handler({ ctx, query: filters }) {
    return exportCsv(ctx, {
      event: "leaver.export",
      file: `leaver-queue-${ctx.now.toISOString().slice(0, 10)}.csv`,
      filters,
      header: QUEUE_CSV_HEADER,
      rows: queueCsvRows(ctx, filters),
    });
  },
});
