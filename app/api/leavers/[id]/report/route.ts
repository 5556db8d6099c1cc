import { z } from "zod";
import { csvResponse } from "@/lib/csv";
import { parseInput } from "@/lib/edge";
import { REPORT_CSV_HEADER, reportCsvRows, revocationReport } from "@/lib/leavers/report";
import { defineRoute } from "@/lib/route";

export const GET = defineRoute<{ id: string }>({
  name: "leaver.report",
  permission: "leavers.read",
  async handler({ ctx, params }) {
    const { id } = parseInput(z.object({ id: z.coerce.number().int().positive() }), params);
    await revocationReport(ctx, id); // 404 before the stream starts
    return csvResponse(`revocation-report-case-${id}.csv`, REPORT_CSV_HEADER, reportCsvRows(ctx, id));
  },
});
