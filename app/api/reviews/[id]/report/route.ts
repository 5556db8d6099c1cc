import { z } from "zod";
import { latestCheckpoint, stampHeader } from "@/lib/audit/checkpoint";
import { exportCsv } from "@/lib/audit/internal";
import { defineRoute } from "@/lib/edge/route";
import { idParam } from "@/lib/input";
import { getCampaign } from "@/lib/reviews/queries";
import { REPORT_CSV_HEADER, reportCsvRows } from "@/lib/reviews/report";

/** The campaign's evidence for auditors, every item, as CSV (UTC). */
export const GET = defineRoute({
  name: "review.report",
  permission: "reviews.manage",
  rateLimit: "export",
  params: z.object({ id: idParam }),
  async handler({ ctx, params: { id } }) {
    const c = await getCampaign(ctx, id); // 404 before the stream starts
    const response = await exportCsv(ctx, {
      event: "review.report",
      file: `review-evidence-campaign-${id}.csv`,
      filters: { campaignId: id, evidenceHash: c.evidence?.headHash ?? null },
      header: REPORT_CSV_HEADER,
      rows: reportCsvRows(ctx, id),
    });
    // The evidence names the latest signed checkpoint of the audit chain at download time (the page prints it too).
    response.headers.set("x-lockstep-audit-checkpoint", stampHeader(await latestCheckpoint()));
    return response;
  },
});
