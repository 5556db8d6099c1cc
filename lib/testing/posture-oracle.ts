import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Factor, type Posture, posture } from "@/lib/factors/strength";
import type { OutageFactor } from "@/lib/factors/what-if";
import { queryRows } from "./sql";

/**
 * An independent view of the organisation for factor tests: raw rows read with plain SQL, strengths computed
 * in TypeScript (posture()), privileged access from the grants themselves — never from identity_posture.
 */
export type OraclePerson = {
  id: number;
  name: string;
  email: string | null;
  departmentId: number | null;
  managerId: number | null;
  factors: OutageFactor[];
  posture: Posture;
  /** System of each active account with a live privileged grant (one entry per account). */
  privilegedSystems: number[];
};

export type World = { people: OraclePerson[]; parentOf: Map<number, number | null> };

export async function loadWorld(db: Db, now: Date): Promise<World> {
  const people = await queryRows<{
    id: number;
    name: string;
    email: string | null;
    department_id: number | null;
    manager_id: number | null;
  }>(
    db,
    sql`
    SELECT id, display_name AS name, email, department_id, manager_id FROM identities WHERE kind = 'human' AND status = 'active'`,
  );
  const factors = await queryRows<{
    identity_id: number;
    type: Factor["type"];
    usage: Factor["usage"];
    status: Factor["status"];
    user_verification: boolean;
    expires_at: string | null;
    channel: string | null;
  }>(db, sql`SELECT identity_id, type, usage, status, user_verification, expires_at, channel FROM authenticators`);
  const grants = await queryRows<{ identity_id: number; account_id: number; system_id: number }>(
    db,
    sql`
    SELECT DISTINCT ac.identity_id, ac.id AS account_id, ac.system_id
      FROM accounts ac JOIN grants g ON g.account_id = ac.id JOIN entitlements e ON e.id = g.entitlement_id
     WHERE ac.status = 'active' AND e.privileged AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ${now.toISOString()}::timestamptz)`,
  );
  const departments = await queryRows<{ id: number; parent_id: number | null }>(
    db,
    sql`SELECT id, parent_id FROM departments`,
  );
  const byPerson = new Map<number, OutageFactor[]>();
  for (const f of factors) {
    const list = byPerson.get(Number(f.identity_id)) ?? [];
    list.push({
      type: f.type,
      usage: f.usage,
      status: f.status,
      userVerification: f.user_verification,
      expiresAt: f.expires_at ? new Date(f.expires_at) : null,
      channel: f.channel,
    });
    byPerson.set(Number(f.identity_id), list);
  }
  const systems = new Map<number, number[]>();
  for (const g of grants)
    systems.set(Number(g.identity_id), [...(systems.get(Number(g.identity_id)) ?? []), Number(g.system_id)]);
  return {
    people: people.map((p) => ({
      id: Number(p.id),
      name: p.name,
      email: p.email,
      departmentId: p.department_id === null ? null : Number(p.department_id),
      managerId: p.manager_id === null ? null : Number(p.manager_id),
      factors: byPerson.get(Number(p.id)) ?? [],
      posture: posture(byPerson.get(Number(p.id)) ?? [], now),
      privilegedSystems: systems.get(Number(p.id)) ?? [],
    })),
    parentOf: new Map(departments.map((d) => [Number(d.id), d.parent_id === null ? null : Number(d.parent_id)])),
  };
}

/** The department and every ancestor above it (walking up, unlike the queries, which walk down). */
export function ancestorsOf(world: World, departmentId: number | null): (number | null)[] {
  if (departmentId === null) return [null];
  const out: number[] = [];
  for (
    let d: number | null | undefined = departmentId;
    d !== null && d !== undefined && !out.includes(d);
    d = world.parentOf.get(d)
  )
    out.push(d);
  return out;
}

/** Everyone at or below a manager in the reporting line (walking down the manager links in TypeScript). */
export function teamOf(all: { id: number; managerId: number | null }[], managerId: number): Set<number> {
  const team = new Set([managerId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all)
      if (p.managerId !== null && team.has(p.managerId) && !team.has(p.id)) {
        team.add(p.id);
        grew = true;
      }
  }
  return team;
}
