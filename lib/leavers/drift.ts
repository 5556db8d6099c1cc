import { sql } from "drizzle-orm";
import { type Db, queryRows } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { type Actor, authorize, SYSTEM_ACTOR } from "@/lib/authz";
import { connectorFor } from "@/lib/connectors";
import { type Ctx, makeCtx, transact } from "@/lib/context";
import { Conflict } from "@/lib/errors";
import type { JobHelpers, Schedule } from "@/lib/jobs/types";
import { refreshCaseCounters } from "./counters";
import { mirrorRevocation } from "./mirror";
import { loadTaskContext } from "./task-context";

export const DRIFT_JOB = "leaver.drift_watch";
/** Daily at 04:00 UTC by default (LOCKSTEP_DRIFT_CRON overrides). */
export const DRIFT_SCHEDULE: Schedule = { name: DRIFT_JOB, cron: process.env.LOCKSTEP_DRIFT_CRON ?? "0 4 * * *" };

const WATCH: Actor = { ...SYSTEM_ACTOR, name: "drift watch" };
type Check = {
  taskId: number;
  label: string;
  outcome: "held" | "drifted" | "error";
  detail: string;
  kind: string;
  targetId: number;
  systemId: number;
};

/**
 * Re-verifies one closed case's connector revocations against the targets. A revocation that no longer
 * holds (an upstream sync re-enabled the account, a token works again) reopens the case, puts it on top of
 * the queue and sends the task back to pending. Connector calls run outside any transaction.
 */
export async function checkCaseDrift(
  db: Db,
  caseId: number,
  now: Date,
  actor: Actor = WATCH,
): Promise<{ checked: number; drifted: number }> {
  const tasks = await queryRows<{ id: number }>(
    db,
    sql`
    SELECT t.id FROM revocation_tasks t WHERE t.case_id = ${caseId} AND t.state = 'verified' AND t.mode = 'connector'
     ORDER BY t.priority, t.id`,
  );
  const checks: Check[] = [];
  let identityId = 0;
  for (const { id } of tasks) {
    const task = await loadTaskContext(db, Number(id));
    if (!task?.action) continue;
    identityId = task.identityId;
    const base = {
      taskId: task.id,
      label: task.targetLabel,
      kind: task.kind,
      targetId: task.targetId,
      systemId: task.system.id,
    };
    try {
      const v = await connectorFor(task.system, db, { now: () => now }).verify(task.action);
      checks.push(
        v.verified ? { ...base, outcome: "held", detail: v.how } : { ...base, outcome: "drifted", detail: v.reason },
      );
    } catch (err) {
      checks.push({ ...base, outcome: "error", detail: (err as Error).message.slice(0, 300) });
    }
  }
  const drifted = checks.filter((c) => c.outcome === "drifted");
  await transact(makeCtx(actor, db, now), async (tx) => {
    const iso = now.toISOString();
    if (checks.length) {
      await tx.db.execute(sql`
        INSERT INTO leaver_drift_checks (case_id, task_id, checked_at, outcome, detail)
        SELECT ${caseId}, x.task_id, ${iso}::timestamptz, x.outcome, x.detail
          FROM jsonb_to_recordset(${JSON.stringify(checks.map((c) => ({ task_id: c.taskId, outcome: c.outcome, detail: c.detail })))}::jsonb)
               AS x(task_id int8, outcome text, detail text)`);
    }
    await tx.db.execute(sql`UPDATE leaver_cases SET last_drift_check_at = ${iso}::timestamptz WHERE id = ${caseId}`);
    if (drifted.length === 0) return;
    const ids = `{${drifted.map((d) => d.taskId).join(",")}}`;
    await tx.db.execute(sql`
      UPDATE revocation_tasks SET state = 'pending', verified_at = NULL, verification = NULL, not_before = NULL, lease_until = NULL,
             last_error = 'Drift: re-verification found it active again (' || ${iso} || '); re-run the revocation', updated_at = ${iso}::timestamptz
       WHERE id = ANY(${ids}::int8[])`);
    for (const d of drifted)
      await mirrorRevocation(tx.db, { kind: d.kind, targetId: d.targetId, systemId: d.systemId, identityId }, now, {
        undo: true,
      });
    await tx.db.execute(
      sql`UPDATE leaver_cases SET status = 'reopened', reopened_at = ${iso}::timestamptz WHERE id = ${caseId}`,
    );
    await refreshCaseCounters(tx.db, [caseId]);
    await writeAudit(tx, {
      action: "leaver.drift_reopen",
      target: { type: "leaver_case", id: caseId },
      before: { status: "closed" },
      after: {
        status: "reopened",
        drifted: drifted.map((d) => ({ taskId: d.taskId, what: d.label, detail: d.detail })),
      },
    });
  });
  return { checked: checks.length, drifted: drifted.length };
}

/** Job handler: every closed case still under watch and not checked in the last day, oldest check first. */
export async function driftWatchJob(_payload: Record<string, unknown>, h: JobHelpers): Promise<void> {
  const now = h.now();
  for (;;) {
    const due = await queryRows<{ id: number }>(
      h.db,
      sql`
      SELECT id FROM leaver_cases
       WHERE status = 'closed' AND drift_watch_until > ${now.toISOString()}::timestamptz
         AND (last_drift_check_at IS NULL OR last_drift_check_at <= ${now.toISOString()}::timestamptz - interval '23 hours')
       ORDER BY last_drift_check_at NULLS FIRST, id LIMIT 200`,
    );
    if (due.length === 0) return;
    let drifted = 0;
    for (const { id } of due) drifted += (await checkCaseDrift(h.db, Number(id), now)).drifted;
    h.log(`drift watch: ${due.length} cases checked, ${drifted} revocations drifted`);
  }
}

/** An analyst runs the drift check of one closed case now (the daily job does the same). */
export async function checkDriftNow(
  ctx: Ctx,
  input: { caseId: number },
): Promise<{ checked: number; drifted: number }> {
  authorize(ctx.actor, "leavers.manage");
  const [c] = await queryRows<{ status: string }>(
    ctx.db,
    sql`SELECT status::text AS status FROM leaver_cases WHERE id = ${input.caseId}`,
  );
  if (c?.status !== "closed") throw new Conflict("Only a closed case is re-verified for drift.");
  return checkCaseDrift(ctx.db, input.caseId, ctx.now, ctx.actor);
}
