import { csvResponse } from "@/lib/csv";
import { parseInput } from "@/lib/edge";
import { PEOPLE_CSV_HEADER, peopleCsvRows } from "@/lib/people/export";
import { peopleFilters } from "@/lib/people/schemas";
import { defineRoute } from "@/lib/route";

export const GET = defineRoute({
  name: "people.export",
  permission: "people.export",
  async handler({ ctx, request }) {
    const filters = parseInput(peopleFilters, Object.fromEntries(new URL(request.url).searchParams));
    const stamp = ctx.now.toISOString().slice(0, 10);
    return csvResponse(`people-${stamp}.csv`, PEOPLE_CSV_HEADER, peopleCsvRows(ctx, filters));
  },
});
