import { z } from "zod";
import { exportCsv } from "@/lib/audit/internal";
import { defineRoute } from "@/lib/edge/route";
import { idParam } from "@/lib/input";
import { REPORT_CSV_HEADER, reportCsvRows, revocationReport } from "@/lib/leavers/report";

export const GET = defineRoute({
  name: "leaver.report",
  permission: "leavers.read",
  rateLimit: "export",
  params: z.object({ id: idParam }),
  async handler({ ctx, params: { id } }) {
    await revocationReport(ctx, id); // 404 before the stream starts
    return exportCsv(ctx, {
      event: "leaver.report",
      file: `revocation-report-case-${id}.csv`,
      filters: { caseId: id },
      header: REPORT_CSV_HEADER,
      rows: reportCsvRows(ctx, id),
    });
  },
});
