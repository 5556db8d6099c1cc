import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { allPages } from "@/lib/csv";
import { listPeople } from "./queries";
import type { PeopleFilters } from "./schemas";

export const PEOPLE_CSV_HEADER = [
  "id",
  "name",
  "email",
  "employee_number",
  "kind",
  "status",
  "department",
  "title",
  "owner",
  "effective_strength",
];

export async function* peopleCsvRows(ctx: Ctx, filters: PeopleFilters): AsyncGenerator<unknown[]> {
  authorize(ctx.actor, "people.export");
  for await (const p of allPages((after) => listPeople(ctx, { ...filters, after, limit: 1000 }))) {
    yield [
      p.id,
      p.name,
      p.email,
      p.employeeNumber,
      p.kind,
      p.status,
      p.department,
      p.title,
      p.owner,
      p.effectiveStrength,
    ];
  }
}
