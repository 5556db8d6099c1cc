import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { criticality, remediationAction, remediationMode, remediationState } from "@/db/schema/enums";
import { authorize, breakGlassScope, inTeam, type Permission } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { keysetCondition, keysetOrder, type Page, type PageRequest, toPage } from "@/lib/pagination";
import { needsSecondConfirmation, type RemediationOrigin } from "./model";

/** Who may read an origin's tasks: whoever may read the origin itself. */
const READ: Record<RemediationOrigin, Permission> = {
  leaver_case: "leavers.read",
  credential_page: "api_scopes.read",
  review_item: "reviews.read",
  break_glass: "break_glass.read",
  drift: "remediation.manage",
};

const taskRow = z.object({
  id: col.int,
  system_id: col.int,
  system: col.text,
  system_slug: col.text,
  system_connector: col.text,
  system_simulated: col.bool,
  criticality: z.enum(criticality.enumValues),
  action: z.enum(remediationAction.enumValues),
  target_type: col.text,
  target_id: col.int,
  target_label: col.text,
  privileged: col.bool,
  bulk_data: col.bool,
  priority: col.int,
  state: z.enum(remediationState.enumValues),
  mode: z.enum(remediationMode.enumValues),
  attempts: col.int,
  last_error: col.textOrNull,
  error_retryable: z.boolean().nullable(),
  not_before: col.dateOrNull,
  lease_until: col.dateOrNull,
  executed_at: col.dateOrNull,
  verified_at: col.dateOrNull,
  verification: col.textOrNull,
  outcome: col.textOrNull,
  simulated: col.bool,
  connector_kind: col.textOrNull,
  evidence: col.json(z.record(z.string(), z.unknown()).nullable()),
  confirmed_by: col.textOrNull,
  confirmed_by_id: col.intOrNull,
  second_confirmed_by: col.textOrNull,
  waived_by: col.textOrNull,
  waived_reason: col.textOrNull,
  assignee: col.textOrNull,
  new_owner_id: col.intOrNull,
  new_owner: col.textOrNull,
  current_owner: col.textOrNull,
});

export type TaskRow = ReturnType<typeof toTask>;

const toTask = (t: z.output<typeof taskRow>) => ({
  id: t.id,
  systemId: t.system_id,
  system: t.system,
  systemSlug: t.system_slug,
  connectorKind: t.system_connector,
  systemSimulated: t.system_simulated,
  criticality: t.criticality,
  action: t.action,
  targetType: t.target_type,
  targetId: t.target_id,
  targetLabel: t.target_label,
  privileged: t.privileged,
  bulkData: t.bulk_data,
  priority: t.priority,
  state: t.state,
  mode: t.mode,
  attempts: t.attempts,
  lastError: t.last_error,
  errorRetryable: t.error_retryable,
  notBefore: t.not_before,
  leaseUntil: t.lease_until,
  executedAt: t.executed_at,
  verifiedAt: t.verified_at,
  verification: t.verification,
  outcome: t.outcome,
  simulated: t.simulated,
  actedConnector: t.connector_kind,
  evidence: t.evidence,
  confirmedBy: t.confirmed_by,
  confirmedById: t.confirmed_by_id,
  secondConfirmedBy: t.second_confirmed_by,
  waivedBy: t.waived_by,
  waivedReason: t.waived_reason,
  assignee: t.assignee,
  newOwnerId: t.new_owner_id,
  newOwner: t.new_owner,
  currentOwner: t.current_owner,
  needsSecond: needsSecondConfirmation({ privileged: t.privileged, systemCriticality: t.criticality }),
});

const taskSelect = sql`
    SELECT t.id, t.system_id, s.name AS system, s.slug AS system_slug, s.connector_kind::text AS system_connector,
           s.connector_simulated AS system_simulated, s.criticality::text AS criticality, t.action::text AS action,
           t.target_type, t.target_id, t.target_label, t.privileged, t.bulk_data, t.priority, t.state::text AS state,
           t.mode::text AS mode, t.attempts, t.last_error, t.error_retryable, t.not_before, t.lease_until, t.executed_at,
           t.verified_at, t.verification, t.outcome, t.simulated, t.connector_kind, t.evidence, t.confirmed_by_id,
           cb.display_name AS confirmed_by, sb.display_name AS second_confirmed_by, wb.display_name AS waived_by, t.waived_reason,
           asg.display_name AS assignee, t.new_owner_id, nw.display_name AS new_owner, co.display_name AS current_owner
      FROM remediation_tasks t JOIN systems s ON s.id = t.system_id
      LEFT JOIN identities cb ON cb.id = t.confirmed_by_id LEFT JOIN identities sb ON sb.id = t.second_confirmed_by_id
      LEFT JOIN identities wb ON wb.id = t.waived_by_id LEFT JOIN identities asg ON asg.id = t.assignee_id
      LEFT JOIN identities nw ON nw.id = t.new_owner_id
      LEFT JOIN identities nhi ON t.target_type = 'identity' AND nhi.id = t.target_id LEFT JOIN identities co ON co.id = nhi.owner_id`;

/**
 * Whose tasks the caller sees, in the WHERE clause: a break-glass request's tasks go with the request (whoever may
 * see the request, lib/authz breakGlassScope — an approver sees the grant they approved); every other origin's with
 * the person they are about (a manager sees only tasks about their team).
 */
function taskScope(ctx: Ctx, origin: RemediationOrigin): SQL | undefined {
  return origin === "break_glass"
    ? breakGlassScope(ctx.actor, sql.raw("t.origin_id"))
    : inTeam(ctx.actor, sql.raw("t.subject_id"));
}

/**
 * An origin's tasks (a leaver case's, a credential's…), by system then priority, with the people around them. The
 * caller must be allowed to read the origin, and sees only the tasks taskScope gives them.
 */
export async function listTasks(ctx: Ctx, origin: { type: RemediationOrigin; id: number }): Promise<TaskRow[]> {
  authorize(ctx.actor, READ[origin.type]);
  const scope = taskScope(ctx, origin.type);
  const rows = await queryRows(
    ctx.db,
    sql`${taskSelect}
     WHERE t.origin = ${origin.type}::remediation_origin AND t.origin_id = ${origin.id} ${scope ? sql`AND ${scope}` : sql``}
     ORDER BY s.name, t.priority, t.id`,
    taskRow,
  );
  return rows.map(toTask);
}

/**
 * The tasks of many origin rows at once — a review campaign's items (`originIds`: a subquery of their ids) — in
 * keyset pages, unfinished first (failed, then waiting, then verified or waived), then by id.
 */
export async function listTasksPage(
  ctx: Ctx,
  origin: { type: RemediationOrigin; originIds: SQL },
  input: PageRequest & { unfinished?: boolean },
): Promise<Page<TaskRow>> {
  authorize(ctx.actor, READ[origin.type]);
  const scope = taskScope(ctx, origin.type);
  const rank = sql`(CASE t.state WHEN 'failed' THEN 0 WHEN 'verified' THEN 2 WHEN 'waived' THEN 2 ELSE 1 END)`;
  const keys = [rank, sql`t.id`];
  const page = keysetCondition(input, keys, ["int", "int8"], "asc");
  const rows = await queryRows(
    ctx.db,
    sql`${taskSelect}
     WHERE t.origin = ${origin.type}::remediation_origin AND t.origin_id IN (${origin.originIds})
       ${input.unfinished ? sql`AND t.state NOT IN ('verified', 'waived')` : sql``}
       ${scope ? sql`AND ${scope}` : sql``} ${page ? sql`AND ${page}` : sql``}
     ORDER BY ${keysetOrder(input, keys, "asc")}
     LIMIT ${input.limit + 1}`,
    taskRow,
  );
  const rankOf = (state: string) => (state === "failed" ? 0 : state === "verified" || state === "waived" ? 2 : 1);
  return toPage(rows.map(toTask), input, (t) => [rankOf(t.state), t.id]);
}
