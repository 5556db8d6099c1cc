import { csvResponse } from "@/lib/csv";
import { parseInput } from "@/lib/edge";
import { QUEUE_CSV_HEADER, queueCsvRows } from "@/lib/leavers/export";
import { queueFilters } from "@/lib/leavers/queries";
import { defineRoute } from "@/lib/route";

export const GET = defineRoute({
  name: "leaver.export",
  permission: "leavers.read",
  async handler({ ctx, request }) {
    const filters = parseInput(queueFilters, Object.fromEntries(new URL(request.url).searchParams));
    return csvResponse(
      `leaver-queue-${ctx.now.toISOString().slice(0, 10)}.csv`,
      QUEUE_CSV_HEADER,
      queueCsvRows(ctx, filters),
    );
  },
});
