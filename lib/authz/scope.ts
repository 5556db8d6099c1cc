import "server-only";
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { identities } from "@/db/schema";
import { Forbidden } from "@/lib/errors";
import type { Actor } from "./actor";
import { can } from "./permissions";

/**
 * Data scoping: the rows a role may see, written as WHERE-clause fragments so every query carries its scope.
 * Analysts, admins and the system see everything; a manager sees themself, their reports (all levels) and
 * the non-human identities those people own; other roles see no personal records. Machine clients have no
 * reach at all: every helper below refuses them, so a query written for the console cannot serve a token.
 * Break-glass requests have their own rule (breakGlassScope).
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

/**
 * Break-glass requests the actor may see, as a condition on a request-id column: whoever holds `break_glass.read`
 * (approvers, who decide any request; analysts; admins) and the system see every request, and with it what the
 * request did (its remediation tasks, its timeline); anyone else only the requests they made or that are about
 * them. Break-glass is not scoped by management reach: an approver of a request is usually nobody's manager there.
 */
export function breakGlassScope(actor: Actor, requestId: AnyColumn | SQL): SQL | undefined {
  refuseMachines(actor);
  if (can(actor, "break_glass.read")) return undefined;
  if (actor.id === null) throw new Forbidden("Your roles do not give access to break-glass requests.");
  return sql`${requestId} IN (SELECT id FROM break_glass_requests WHERE requester_id = ${actor.id} OR subject_id = ${actor.id})`;
}

// Checked by kind, not left to "no reach": aggregateScope lets every non-team actor see the whole organisation.
function refuseMachines(actor: Actor): void {
  if (actor.kind === "machine") throw new Forbidden("Machine clients have no access to console records.");
}
