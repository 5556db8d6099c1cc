import { sql } from "drizzle-orm";
import { inTeam } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";

export type LockedTask = {
  id: number;
  caseId: number;
  kind: string;
  state: string;
  mode: "connector" | "manual" | "handover";
  targetId: number;
  targetLabel: string;
  privileged: boolean;
  systemId: number;
  systemName: string;
  criticality: "low" | "medium" | "high" | "critical";
  deprovisionMode: string;
  maxConcurrency: number;
  confirmedById: number | null;
  verification: string | null;
  identityId: number;
  caseStatus: string;
};

/** Locks one task (and reads its case and system) for a command; scoped to the actor's team for managers. */
export async function lockTask(tx: Ctx, taskId: number): Promise<LockedTask> {
  const scope = inTeam(tx.actor, sql.raw("c.identity_id"));
  const res = (await tx.db.execute(sql`
    SELECT t.id, t.case_id AS "caseId", t.kind::text AS kind, t.state::text AS state, t.mode, t.target_id AS "targetId",
           t.target_label AS "targetLabel", t.privileged, t.system_id AS "systemId", s.name AS "systemName",
           s.criticality::text AS criticality, s.deprovision_mode::text AS "deprovisionMode", s.max_concurrency AS "maxConcurrency",
           t.confirmed_by_id AS "confirmedById", t.verification, c.identity_id AS "identityId", c.status::text AS "caseStatus"
      FROM revocation_tasks t JOIN leaver_cases c ON c.id = t.case_id JOIN systems s ON s.id = t.system_id
     WHERE t.id = ${taskId} ${scope ? sql`AND ${scope}` : sql``}
       FOR UPDATE OF t`)) as unknown as { rows: LockedTask[] };
  const row = res.rows[0];
  if (!row) throw new NotFound("That task");
  return {
    ...row,
    id: Number(row.id),
    caseId: Number(row.caseId),
    targetId: Number(row.targetId),
    systemId: Number(row.systemId),
    identityId: Number(row.identityId),
  };
}

export const taskTarget = (t: Pick<LockedTask, "id" | "targetLabel">) => ({
  type: "revocation_task",
  id: t.id,
  label: t.targetLabel,
});
