import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { authenticatorStatus, authenticatorType, authenticatorUsage } from "@/db/schema/enums";
import { type Posture, posture } from "@/lib/factors/strength";
import type { OutageFactor } from "@/lib/factors/what-if";
import { rowsOf } from "./sql";

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
  const people = await rowsOf(
    db,
    sql`
    SELECT id, display_name AS name, email, department_id, manager_id FROM identities WHERE kind = 'human' AND status = 'active'`,
    { id: col.int, name: col.text, email: col.textOrNull, department_id: col.intOrNull, manager_id: col.intOrNull },
  );
  const factors = await rowsOf(
    db,
    sql`SELECT identity_id, type, usage, status, user_verification, expires_at, channel FROM authenticators`,
    {
      identity_id: col.int,
      type: z.enum(authenticatorType.enumValues),
      usage: z.enum(authenticatorUsage.enumValues),
      status: z.enum(authenticatorStatus.enumValues),
      user_verification: col.bool,
      expires_at: col.dateOrNull,
      channel: col.textOrNull,
    },
  );
  const grants = await rowsOf(
    db,
    sql`
    SELECT DISTINCT ac.identity_id, ac.id AS account_id, ac.system_id
      FROM accounts ac JOIN grants g ON g.account_id = ac.id JOIN entitlements e ON e.id = g.entitlement_id
     WHERE ac.status = 'active' AND e.privileged AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ${now.toISOString()}::timestamptz)`,
    { identity_id: col.int, account_id: col.int, system_id: col.int },
  );
  const departments = await rowsOf(db, sql`SELECT id, parent_id FROM departments`, {
    id: col.int,
    parent_id: col.intOrNull,
  });
  const byPerson = new Map<number, OutageFactor[]>();
  for (const f of factors) {
    const list = byPerson.get(f.identity_id) ?? [];
    list.push({
      type: f.type,
      usage: f.usage,
      status: f.status,
      userVerification: f.user_verification,
      expiresAt: f.expires_at,
      channel: f.channel,
    });
    byPerson.set(f.identity_id, list);
  }
  const systems = new Map<number, number[]>();
  for (const g of grants) systems.set(g.identity_id, [...(systems.get(g.identity_id) ?? []), g.system_id]);
  return {
    people: people.map((p) => ({
      id: p.id,
      name: p.name,
      email: p.email,
      departmentId: p.department_id,
      managerId: p.manager_id,
      factors: byPerson.get(p.id) ?? [],
      posture: posture(byPerson.get(p.id) ?? [], now),
      privilegedSystems: systems.get(p.id) ?? [],
    })),
    parentOf: new Map(departments.map((d) => [d.id, d.parent_id])),
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
