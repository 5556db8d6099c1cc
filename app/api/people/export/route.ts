import { csvResponse } from "@/lib/csv";
import { defineRoute } from "@/lib/edge/route";
import { PEOPLE_CSV_HEADER, peopleCsvRows } from "@/lib/people/export";
import { peopleFilters } from "@/lib/people/schemas";

export const GET = defineRoute({
  name: "people.export",
  permission: "people.export",
  query: peopleFilters,
  async handler({ ctx, query: filters }) {
    const stamp = ctx.now.toISOString().slice(0, 10);
    return csvResponse(`people-${stamp}.csv`, PEOPLE_CSV_HEADER, peopleCsvRows(ctx, filters));
  },
});
