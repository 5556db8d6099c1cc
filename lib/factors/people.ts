import "server-only";
import { eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { departments, systems } from "@/db/schema";
import { authenticatorType, authenticatorUsage } from "@/db/schema/enums";
import { intArray } from "@/db/sql";
import { authorize, inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { keysetCondition, keysetOrder, type Page, toPage } from "@/lib/pagination";
import type { CellFilters, CellPeopleInput } from "./schemas";
import {
  type AuthenticatorType,
  factorStrength,
  isPhishingResistant,
  limitingFactorIds,
  type Strength,
  type Usage,
} from "./strength";
import { outcomeFilterSql } from "./what-if-sql";

/**
 * The people behind a heatmap cell or a what-if figure (factors.people): analysts and admins see everyone, a
 * manager their team. Privileged people first, then by name; keyset-paginated.
 */
export type CellFactor = {
  id: number;
  type: AuthenticatorType;
  usage: Usage;
  label: string | null;
  channel: string | null;
  strength: Strength;
  phishingResistant: boolean;
  lastUsedAt: string | null;
  /** The factor that sets the person's effective strength (their weakest path in). */
  limiting: boolean;
};

export type CellPerson = {
  id: number;
  name: string;
  email: string | null;
  title: string | null;
  department: string | null;
  privileged: boolean;
  primaryStrength: number;
  recoveryStrength: number | null;
  effectiveStrength: number;
  lastUsedAt: string | null;
  factors: CellFactor[];
};

const sortKeys = [sql`(NOT p.has_privileged)`, sql`lower(i.display_name)`, sql`i.id`];

/** Everyone under a department (itself included); 0 = people without a department. */
function departmentFilter(department: number): SQL {
  if (department === 0) return sql`p.department_id IS NULL`;
  return sql`p.department_id IN (WITH RECURSIVE sub(id) AS (
      SELECT ${department}::int UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id
    ) SELECT id FROM sub)`;
}

function cellWhere(ctx: Ctx, f: CellFilters): SQL {
  const strength = f.mode === "primary" ? sql`p.primary_strength` : sql`p.effective_strength`;
  const parts: SQL[] = [sql`p.active`];
  // A manager sees the people of their team behind a cell (acceptance testing: their drill-down was a 403).
  const team = inTeam(ctx.actor, sql`p.identity_id`);
  if (team) parts.push(team);
  if (f.privileged || f.system !== undefined) parts.push(sql`p.has_privileged`);
  if (f.department !== undefined) parts.push(departmentFilter(f.department));
  if (f.system !== undefined) parts.push(sql`${f.system}::int = ANY(p.privileged_system_ids)`);
  if (f.strength !== undefined) parts.push(sql`${strength} = ${f.strength}`);
  if (f.channel && f.outcome) parts.push(outcomeFilterSql(f.channel, f.outcome, ctx.now));
  return sql.join(parts, sql` AND `);
}

const personRow = z.object({
  id: col.int,
  name: col.text,
  email: col.textOrNull,
  title: col.textOrNull,
  department: col.textOrNull,
  privileged: col.bool,
  p: col.int,
  r: col.intOrNull,
  e: col.int,
  name_key: col.text,
});
type PersonRow = z.output<typeof personRow>;
const factorRow = z.object({
  id: col.int,
  identity_id: col.int,
  type: z.enum(authenticatorType.enumValues),
  usage: z.enum(authenticatorUsage.enumValues),
  label: col.textOrNull,
  channel: col.textOrNull,
  user_verification: col.bool,
  last_used_at: col.dateOrNull,
});
type FactorRow = z.output<typeof factorRow>;

export async function listCellPeople(ctx: Ctx, input: CellPeopleInput): Promise<Page<CellPerson>> {
  authorize(ctx.actor, "factors.people");
  const after = keysetCondition(input, sortKeys, ["boolean", "text", "int"], "asc");
  const page = await queryRows(
    ctx.db,
    sql`
    SELECT i.id, i.display_name AS name, i.email, i.title, d.name AS department, p.has_privileged AS privileged,
           p.primary_strength AS p, p.recovery_strength AS r, p.effective_strength AS e, lower(i.display_name) AS name_key
      FROM identity_posture p
      JOIN identities i ON i.id = p.identity_id
      LEFT JOIN departments d ON d.id = p.department_id
     WHERE ${cellWhere(ctx, input)} ${after ? sql`AND ${after}` : sql``}
     ORDER BY ${keysetOrder(input, sortKeys, "asc")}
     LIMIT ${input.limit + 1}`,
    personRow,
  );
  const result = toPage(page, input, (r) => [!r.privileged, r.name_key, r.id]);
  const ids = result.items.map((r) => r.id);
  const factors = ids.length
    ? await queryRows(
        ctx.db,
        sql`
        SELECT id, identity_id, type, usage, label, channel, user_verification, last_used_at
          FROM authenticators
         WHERE identity_id = ANY(${intArray(ids)}) AND status = 'active'
           AND (expires_at IS NULL OR expires_at > ${ctx.now.toISOString()}::timestamptz)
         ORDER BY identity_id, usage, id`,
        factorRow,
      )
    : [];
  return {
    ...result,
    items: result.items.map((r) =>
      toPerson(
        r,
        factors.filter((f) => f.identity_id === r.id),
      ),
    ),
  };
}

function toPerson(r: PersonRow, rows: FactorRow[]): CellPerson {
  const model = rows.map((f) => ({
    type: f.type,
    usage: f.usage,
    status: "active" as const,
    userVerification: f.user_verification,
  }));
  const limiting = new Set(limitingFactorIds(rows.map((f, i) => ({ ...model[i], id: f.id }))));
  const lastUsed = rows.flatMap((f) => (f.last_used_at ? [f.last_used_at.getTime()] : []));
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    title: r.title,
    department: r.department,
    privileged: r.privileged,
    primaryStrength: r.p,
    recoveryStrength: r.r,
    effectiveStrength: r.e,
    lastUsedAt: lastUsed.length ? new Date(Math.max(...lastUsed)).toISOString() : null,
    factors: rows.map((f, i) => ({
      id: f.id,
      type: f.type,
      usage: f.usage,
      label: f.label,
      channel: f.channel,
      strength: factorStrength(model[i]),
      phishingResistant: f.usage === "primary" && isPhishingResistant(model[i]),
      lastUsedAt: f.last_used_at?.toISOString() ?? null,
      limiting: limiting.has(f.id),
    })),
  };
}

/** The cell in words, for the page title and the file name: department, system, strength, channel. */
export async function describeCell(ctx: Ctx, f: CellFilters): Promise<{ department?: string; system?: string }> {
  authorize(ctx.actor, "factors.people");
  const [[department], [system]] = await Promise.all([
    f.department
      ? ctx.db.select({ name: departments.name }).from(departments).where(eq(departments.id, f.department))
      : [],
    f.system !== undefined ? ctx.db.select({ name: systems.name }).from(systems).where(eq(systems.id, f.system)) : [],
  ]);
  return {
    department: f.department === 0 ? "No department" : department?.name,
    system: system?.name,
  };
}
