import { z } from "zod";
import { csvResponse } from "@/lib/csv";
import { defineRoute } from "@/lib/edge/route";
import { REPORT_CSV_HEADER, reportCsvRows, revocationReport } from "@/lib/leavers/report";

export const GET = defineRoute({
  name: "leaver.report",
  permission: "leavers.read",
  params: z.object({ id: z.coerce.number().int().positive() }),
  async handler({ ctx, params: { id } }) {
    await revocationReport(ctx, id); // 404 before the stream starts
    return csvResponse(`revocation-report-case-${id}.csv`, REPORT_CSV_HEADER, reportCsvRows(ctx, id));
  },
});
