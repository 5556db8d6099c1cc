import { z } from "zod";
import { latestCheckpoint, stampHeader } from "@/lib/audit/checkpoint";
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
    const response = await exportCsv(ctx, {
      event: "leaver.report",
      file: `revocation-report-case-${id}.csv`,
      filters: { caseId: id },
      header: REPORT_CSV_HEADER,
      rows: reportCsvRows(ctx, id),
    });
    // The evidence names the latest signed checkpoint of the audit chain at download time (the page prints it too).
    response.headers.set("x-lockstep-audit-checkpoint", stampHeader(await latestCheckpoint()));
    return response;
  },
});
