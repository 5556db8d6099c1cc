import "server-only";
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { identities } from "@/db/schema";
import { Forbidden } from "@/lib/errors";
import type { Actor } from "./actor";

/**
 * Data scoping: the rows a role may see, written as WHERE-clause fragments so every query carries its scope.
 * Analysts, admins and the system see everything; a manager sees themself, their reports (all levels) and
 * the non-human identities those people own; other roles see no personal records. Machine clients have no
 * reach at all: every helper below refuses them, so a query written for the console cannot serve a token.
 */
export type PeopleReach = "all" | "team" | "none";

export function peopleReach(actor: Actor): PeopleReach {
  if (actor.kind === "machine") return "none";
  if (actor.kind === "system" || actor.roles.includes("analyst") || actor.roles.includes("admin")) return "all";
  if (actor.roles.includes("manager")) return "team";
  return "none";
}

/** Ids of the actor and everyone below them in the management chain. */
function teamIdsOf(managerId: number): SQL {
  return sql`(WITH RECURSIVE team(id) AS (
      SELECT ${managerId}::int
      UNION SELECT i.id FROM identities i JOIN team t ON i.manager_id = t.id
    ) SELECT id FROM team)`;
}

/** `column IN (actor's team)`, or no restriction for full-reach roles. Throws for roles with no reach. */
export function inTeam(actor: Actor, column: AnyColumn | SQL): SQL | undefined {
  refuseMachines(actor);
  const reach = peopleReach(actor);
  if (reach === "all") return undefined;
  if (reach === "none" || actor.id === null) throw new Forbidden("Your roles do not give access to personal records.");
  return sql`${column} IN ${teamIdsOf(actor.id)}`;
}

/** Identities the actor may see: their team's people plus the non-human identities the team owns. */
export function identityScope(actor: Actor): SQL | undefined {
  refuseMachines(actor);
  const reach = peopleReach(actor);
  if (reach === "all") return undefined;
  if (reach === "none" || actor.id === null) throw new Forbidden("Your roles do not give access to personal records.");
  const team = teamIdsOf(actor.id);
  return sql`(${identities.id} IN ${team} OR ${identities.ownerId} IN ${team})`;
}

/**
 * Scope for aggregate figures (counts, shares): executives and full-reach roles see the whole
 * organisation; a manager's aggregates cover only their team.
 */
export function aggregateScope(actor: Actor, personColumn: AnyColumn | SQL): SQL | undefined {
  refuseMachines(actor);
  const reach = peopleReach(actor);
  if (reach === "team" && actor.id !== null) return sql`${personColumn} IN ${teamIdsOf(actor.id)}`;
  return undefined;
}

// Checked by kind, not left to "no reach": aggregateScope lets every non-team actor see the whole organisation.
function refuseMachines(actor: Actor): void {
  if (actor.kind === "machine") throw new Forbidden("Machine clients have no access to console records.");
}
