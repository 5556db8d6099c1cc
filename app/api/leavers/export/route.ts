import { csvResponse } from "@/lib/csv";
import { defineRoute } from "@/lib/edge/route";
import { QUEUE_CSV_HEADER, queueCsvRows } from "@/lib/leavers/export";
import { queueFilters } from "@/lib/leavers/queries";

export const GET = defineRoute({
  name: "leaver.export",
  permission: "leavers.read",
  query: queueFilters,
  async handler({ ctx, query: filters }) {
    return csvResponse(
      `leaver-queue-${ctx.now.toISOString().slice(0, 10)}.csv`,
      QUEUE_CSV_HEADER,
      queueCsvRows(ctx, filters),
    );
  },
});
