import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import {
  criticality,
  remediationAction,
  remediationMode,
  remediationOrigin,
  remediationState,
} from "@/db/schema/enums";
import type { RemediationParams } from "@/db/schema/remediation";
import { inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { Conflict, NotFound } from "@/lib/errors";

const lockedRow = z.object({
  id: col.int,
  origin: z.enum(remediationOrigin.enumValues),
  origin_id: col.int,
  case_id: col.intOrNull,
  action: z.enum(remediationAction.enumValues),
  state: z.enum(remediationState.enumValues),
  mode: z.enum(remediationMode.enumValues),
  target_id: col.int,
  target_label: col.text,
  privileged: col.bool,
  subject_id: col.int,
  system_id: col.int,
  system_name: col.text,
  criticality: z.enum(criticality.enumValues),
  deprovision_mode: col.text,
  max_concurrency: col.int,
  confirmed_by_id: col.intOrNull,
  verification: col.textOrNull,
  params: col.json(z.any()),
  case_closed: col.bool,
});

export type LockedTask = ReturnType<typeof toLocked>;

const toLocked = (r: z.output<typeof lockedRow>) => ({
  id: r.id,
  origin: r.origin,
  originId: r.origin_id,
  caseId: r.case_id,
  action: r.action,
  state: r.state,
  mode: r.mode,
  targetId: r.target_id,
  targetLabel: r.target_label,
  privileged: r.privileged,
  subjectId: r.subject_id,
  system: { id: r.system_id, name: r.system_name, criticality: r.criticality, maxConcurrency: r.max_concurrency },
  deprovisionMode: r.deprovision_mode,
  confirmedById: r.confirmed_by_id,
  verification: r.verification,
  params: r.params as RemediationParams | null,
  caseClosed: r.case_closed,
});

/**
 * Locks one task for a command and reads what the command needs. A manager reaches only tasks about their team
 * (the subject's place in the management chain); a task outside the actor's reach is NotFound, so ids cannot be probed.
 */
export async function lockTask(tx: Ctx, taskId: number): Promise<LockedTask> {
  const scope = inTeam(tx.actor, sql.raw("t.subject_id"));
  const [row] = await queryRows(
    tx.db,
    sql`
    SELECT t.id, t.origin::text AS origin, t.origin_id, t.case_id, t.action::text AS action, t.state::text AS state,
           t.mode::text AS mode, t.target_id, t.target_label, t.privileged, t.subject_id, t.system_id, s.name AS system_name,
           s.criticality::text AS criticality, s.deprovision_mode::text AS deprovision_mode, s.max_concurrency,
           t.confirmed_by_id, t.verification, t.params, coalesce(c.status = 'closed', false) AS case_closed
      FROM remediation_tasks t JOIN systems s ON s.id = t.system_id LEFT JOIN leaver_cases c ON c.id = t.case_id
     WHERE t.id = ${taskId} ${scope ? sql`AND ${scope}` : sql``}
       FOR UPDATE OF t`,
    lockedRow,
  );
  if (!row) throw new NotFound("That task");
  return toLocked(row);
}

/** A leaver case's tasks cannot change once the case is closed (the drift watch reopens it first). */
export function assertOpen(t: LockedTask): void {
  if (t.caseClosed) throw new Conflict("The case is closed.");
}
