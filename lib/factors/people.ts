import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { authorize } from "@/lib/authz";
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
 * The people behind a heatmap cell or a what-if figure: analysts and admins only (factors.people), who see
 * everyone, so no team scope applies. Privileged people first, then by name; keyset-paginated.
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
  if (f.privileged || f.system !== undefined) parts.push(sql`p.has_privileged`);
  if (f.department !== undefined) parts.push(departmentFilter(f.department));
  if (f.system !== undefined) parts.push(sql`${f.system}::int = ANY(p.privileged_system_ids)`);
  if (f.strength !== undefined) parts.push(sql`${strength} = ${f.strength}`);
  if (f.channel && f.outcome) parts.push(outcomeFilterSql(f.channel, f.outcome, ctx.now));
  return sql.join(parts, sql` AND `);
}

type PersonRow = {
  id: number;
  name: string;
  email: string | null;
  title: string | null;
  department: string | null;
  privileged: boolean;
  p: number;
  r: number | null;
  e: number;
  name_key: string;
};
type FactorRow = {
  id: number;
  identity_id: number;
  type: AuthenticatorType;
  usage: Usage;
  label: string | null;
  channel: string | null;
  user_verification: boolean;
  last_used_at: string | null;
};

export async function listCellPeople(ctx: Ctx, input: CellPeopleInput): Promise<Page<CellPerson>> {
  authorize(ctx.actor, "factors.people");
  const after = keysetCondition(input, sortKeys, ["boolean", "text", "int"], "asc");
  const page = await queryRows<PersonRow>(
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
  );
  const result = toPage(page, input, (r) => [!r.privileged, r.name_key, Number(r.id)]);
  const ids = result.items.map((r) => Number(r.id));
  const factors = ids.length
    ? await queryRows<FactorRow>(
        ctx.db,
        sql`
        SELECT id, identity_id, type, usage, label, channel, user_verification, last_used_at
          FROM authenticators
         WHERE identity_id = ANY(${`{${ids.join(",")}}`}::int[]) AND status = 'active'
           AND (expires_at IS NULL OR expires_at > ${ctx.now.toISOString()}::timestamptz)
         ORDER BY identity_id, usage, id`,
      )
    : [];
  return {
    ...result,
    items: result.items.map((r) =>
      toPerson(
        r,
        factors.filter((f) => Number(f.identity_id) === Number(r.id)),
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
  const limiting = new Set(limitingFactorIds(rows.map((f, i) => ({ ...model[i], id: Number(f.id) }))));
  const lastUsed = rows
    .map((f) => f.last_used_at)
    .filter((v): v is string => Boolean(v))
    .map((v) => new Date(v).getTime());
  return {
    id: Number(r.id),
    name: r.name,
    email: r.email,
    title: r.title,
    department: r.department,
    privileged: r.privileged,
    primaryStrength: Number(r.p),
    recoveryStrength: r.r === null ? null : Number(r.r),
    effectiveStrength: Number(r.e),
    lastUsedAt: lastUsed.length ? new Date(Math.max(...lastUsed)).toISOString() : null,
    factors: rows.map((f, i) => ({
      id: Number(f.id),
      type: f.type,
      usage: f.usage,
      label: f.label,
      channel: f.channel,
      strength: factorStrength(model[i]),
      phishingResistant: f.usage === "primary" && isPhishingResistant(model[i]),
      lastUsedAt: f.last_used_at ? new Date(f.last_used_at).toISOString() : null,
      limiting: limiting.has(Number(f.id)),
    })),
  };
}

/** The cell in words, for the page title and the file name: department, system, strength, channel. */
export async function describeCell(ctx: Ctx, f: CellFilters): Promise<{ department?: string; system?: string }> {
  authorize(ctx.actor, "factors.people");
  const [row] = await queryRows<{ department: string | null; system: string | null }>(
    ctx.db,
    sql`
    SELECT (SELECT name FROM departments WHERE id = ${f.department ?? null}::int) AS department,
           (SELECT name FROM systems WHERE id = ${f.system ?? null}::int) AS system`,
  );
  return {
    department: f.department === 0 ? "No department" : (row?.department ?? undefined),
    system: row?.system ?? undefined,
  };
}
