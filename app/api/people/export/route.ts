import { exportCsv } from "@/lib/audit/internal";
import { defineRoute } from "@/lib/edge/route";
import { PEOPLE_CSV_HEADER, peopleCsvRows } from "@/lib/people/export";
import { peopleFilters } from "@/lib/people/schemas";

export const GET = defineRoute({
  name: "people.export",
  permission: "people.export",
  rateLimit: "export",
  query: peopleFilters,
  async handler({ ctx, query: filters }) {
    const stamp = ctx.now.toISOString().slice(0, 10);
    return exportCsv(ctx, {
      event: "people.export",
      file: `people-${stamp}.csv`,
      filters,
      header: PEOPLE_CSV_HEADER,
      rows: peopleCsvRows(ctx, filters),
    });
  },
});
