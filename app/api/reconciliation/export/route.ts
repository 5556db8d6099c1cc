import { exportCsv } from "@/lib/audit/internal";
import { defineRoute } from "@/lib/edge/route";
import { FINDINGS_CSV_HEADER, findingsCsvRows } from "@/lib/reconciliation/export";
import { findingsInput } from "@/lib/reconciliation/schemas";

/** A run's uncorrelated accounts or leavers' live accounts as CSV (UTC), streamed in keyset batches. */
export const GET = defineRoute({
  name: "reconciliation.export",
  permission: "systems.read",
  query: findingsInput.omit({ after: true, before: true, limit: true }),
  async handler({ ctx, query }) {
    const stamp = ctx.now.toISOString().slice(0, 10);
    return exportCsv(ctx, {
      event: "reconciliation.export",
      file: `reconciliation-${query.systemId}-${query.kind}-${stamp}.csv`,
      filters: query,
      header: FINDINGS_CSV_HEADER,
      rows: findingsCsvRows(ctx, { ...query, limit: 500 }),
    });
  },
});
