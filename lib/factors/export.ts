import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { allPages, utc } from "@/lib/csv";
import { listCellPeople } from "./people";
import type { CellFilters } from "./schemas";

export const CELL_CSV_HEADER = [
  "id",
  "name",
  "email",
  "title",
  "department",
  "privileged",
  "primary_strength",
  "recovery_strength",
  "effective_strength",
  "weakest_path",
  "factors",
  "last_used_utc",
];

const describe = (f: { type: string; usage: string; strength: number; channel: string | null }) =>
  `${f.usage}:${f.type}${f.channel ? `@${f.channel}` : ""}(${f.strength})`;

/** The people behind a cell as CSV rows (UTC times), walking the same keyset pages as the screen. */
export async function* cellPeopleCsvRows(ctx: Ctx, filters: CellFilters): AsyncGenerator<unknown[]> {
  authorize(ctx.actor, "factors.people");
  // A list of people's factors leaving the console is an export of personal records (managers see, not export).
  authorize(ctx.actor, "people.export");
  for await (const p of allPages((after) => listCellPeople(ctx, { ...filters, after, limit: 500 }))) {
    yield [
      p.id,
      p.name,
      p.email,
      p.title,
      p.department,
      p.privileged,
      p.primaryStrength,
      p.recoveryStrength,
      p.effectiveStrength,
      p.factors
        .filter((f) => f.limiting)
        .map(describe)
        .join("; "),
      p.factors.map(describe).join("; "),
      utc(p.lastUsedAt),
    ];
  }
}
