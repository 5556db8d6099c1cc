import "server-only";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { departments, identities, identityPosture } from "@/db/schema";
import { authorize, identityScope } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { keysetCondition, keysetOrder, type Page, toPage } from "@/lib/pagination";
import { containsPattern } from "@/lib/sql-like";
import type { PeopleFilters, PeopleListInput } from "./schemas";

export type PersonRow = {
  id: number;
  name: string;
  email: string | null;
  employeeNumber: string | null;
  kind: "human" | "service_account" | "api_client" | "ai_agent";
  status: "active" | "leaver" | "disabled";
  title: string | null;
  department: string | null;
  owner: string | null;
  ownerStatus: "active" | "leaver" | "disabled" | null;
  effectiveStrength: number | null;
  /** The sort key as the database computes it (used for the keyset cursor). */
  nameKey: string;
};

/** Must match the expression of the trigram index `identities_search_trgm_idx` for the index to be used. */
export const searchText = sql`(lower(${identities.displayName}) || ' ' || coalesce(lower(${identities.email}), '') || ' ' || coalesce(${identities.employeeNumber}, ''))`;

const owners = alias(identities, "owner");
const sortKeys = [sql`lower(${identities.displayName})`, sql`${identities.id}`];

function peopleWhere(ctx: Ctx, f: PeopleFilters): SQL | undefined {
  const like = f.q ? containsPattern(f.q) : null;
  return and(
    identityScope(ctx.actor),
    // ILIKE, not LIKE: employee numbers keep their case ("E00123") while the query is lowercased; the
    // trigram index serves ILIKE as well.
    like ? sql`${searchText} ILIKE ${like}` : undefined,
    f.department ? eq(identities.departmentId, f.department) : undefined,
    f.kind ? eq(identities.kind, f.kind) : undefined,
    f.status ? eq(identities.status, f.status) : undefined,
  );
}

function peopleSelect(ctx: Ctx) {
  return ctx.db
    .select({
      id: identities.id,
      name: identities.displayName,
      email: identities.email,
      employeeNumber: identities.employeeNumber,
      kind: identities.kind,
      status: identities.status,
      title: identities.title,
      department: departments.name,
      owner: owners.displayName,
      ownerStatus: owners.status,
      effectiveStrength: identityPosture.effectiveStrength,
      nameKey: sql<string>`lower(${identities.displayName})`,
    })
    .from(identities)
    .leftJoin(departments, eq(departments.id, identities.departmentId))
    .leftJoin(owners, eq(owners.id, identities.ownerId))
    .leftJoin(identityPosture, eq(identityPosture.identityId, identities.id));
}

/** The directory: searchable, filterable, scoped to what the actor may see, keyset-paginated by name. */
export async function listPeople(ctx: Ctx, input: PeopleListInput): Promise<Page<PersonRow>> {
  authorize(ctx.actor, "people.read");
  const rows = await peopleSelect(ctx)
    .where(and(peopleWhere(ctx, input), keysetCondition(input, sortKeys, ["text", "int"], "asc")))
    .orderBy(keysetOrder(input, sortKeys, "asc"))
    .limit(input.limit + 1);
  return toPage<PersonRow>(rows, input, (r) => [r.nameKey, r.id]);
}

export async function listDepartments(ctx: Ctx): Promise<{ id: number; name: string }[]> {
  authorize(ctx.actor, "people.read");
  return ctx.db.select({ id: departments.id, name: departments.name }).from(departments).orderBy(departments.name);
}
