import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { identities, leaverCases, remediationTasks } from "@/db/schema";
import { makeCtx } from "@/lib/context";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { confirmTask, handoverOwnership, recheckTask, retryTask, waiveTask } from "@/lib/remediation/commands";
import { actorByName, ctxAs, ctxByName, identityIdByName } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { assignCases, closeCase, executeCases } from "./commands";
import { checkDriftNow } from "./drift";
import { openCases } from "./open-cases";
import { REPORT_CSV_HEADER, reportCsvRows, revocationReport } from "./report";

process.env.LOCKSTEP_JOBS = "local";

/** Opens a case for Ravi's manager's other report… simpler: a fresh case for a seeded person with an NHI. */
async function freshCase(db: Db) {
  const [p] = await rowsOf(
    db,
    sql`
    SELECT i.id FROM identities i WHERE i.kind = 'human' AND i.status = 'active' AND i.manager_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
       AND EXISTS (SELECT 1 FROM accounts a WHERE a.identity_id = i.id) ORDER BY i.id LIMIT 1`,
    { id: col.num },
  );
  const ctx = await ctxAs(db, ["analyst"]);
  const { opened } = await openCases(ctx, {
    leavers: [{ identityId: p.id, reason: "layoff", effectiveAt: TEST_NOW, lastDay: null }],
  });
  return { caseId: opened[0].caseId, identityId: p.id, ctx };
}

const tasksOf = (db: Db, caseId: number) =>
  db.select().from(remediationTasks).where(eq(remediationTasks.caseId, caseId)).orderBy(remediationTasks.id);

describe("leaver commands", () => {
  it("rejects the wrong role for every command", async () => {
    await rollback(async (db) => {
      const { caseId } = await freshCase(db);
      const [t] = await tasksOf(db, caseId);
      for (const roles of [["executive"], ["approver"]] as const) {
        const ctx = await ctxAs(db, [...roles]);
        await expect(assignCases(ctx, { caseIds: [caseId], assigneeId: null })).rejects.toThrow(Forbidden);
        await expect(executeCases(ctx, { caseIds: [caseId] })).rejects.toThrow(Forbidden);
        await expect(retryTask(ctx, { taskId: t.id })).rejects.toThrow(Forbidden);
        await expect(recheckTask(ctx, { taskId: t.id })).rejects.toThrow(Forbidden);
        await expect(confirmTask(ctx, { taskId: t.id, note: "done" })).rejects.toThrow(Forbidden);
        await expect(waiveTask(ctx, { taskId: t.id, reason: "no reason at all" })).rejects.toThrow(Forbidden);
        await expect(handoverOwnership(ctx, { taskId: t.id, newOwnerId: 1 })).rejects.toThrow(Forbidden);
        await expect(closeCase(ctx, { caseId })).rejects.toThrow(Forbidden);
        await expect(checkDriftNow(ctx, { caseId })).rejects.toThrow(Forbidden);
      }
      // Managers hand over ownership but do not work the queue; analysts cannot waive (admins only).
      const manager = await ctxAs(db, ["manager"]);
      await expect(executeCases(manager, { caseIds: [caseId] })).rejects.toThrow(Forbidden);
      await expect(confirmTask(manager, { taskId: t.id, note: "done" })).rejects.toThrow(Forbidden);
      await expect(closeCase(manager, { caseId })).rejects.toThrow(Forbidden);
      await expect(
        waiveTask(await ctxAs(db, ["analyst"]), { taskId: t.id, reason: "no reason at all" }),
      ).rejects.toThrow(Forbidden);
    });
  });

  it("needs a second, different person to verify a privileged manual confirmation", async () => {
    await rollback(async (db) => {
      const { caseId } = await freshCase(db);
      const [avery, jordan] = await Promise.all([ctxByName(db, "Avery Chen"), ctxByName(db, "Jordan Okafor")]);
      const tasks = await tasksOf(db, caseId);
      const priv = tasks.find((t) => t.privileged && t.action !== "transfer_ownership")!;
      const first = await confirmTask(avery, {
        taskId: priv.id,
        ticket: "RITM0012345",
        note: "Removed in the admin console",
      });
      expect(first).toEqual({ state: "done", awaitingSecond: true });
      await expect(confirmTask(avery, { taskId: priv.id, note: "me again" })).rejects.toThrow(
        /second, different person/,
      );
      const second = await confirmTask(jordan, { taskId: priv.id, note: "Checked the console: gone" });
      expect(second.state).toBe("verified");
      const [after] = await db.select().from(remediationTasks).where(eq(remediationTasks.id, priv.id));
      expect(after).toMatchObject({
        state: "verified",
        confirmedById: avery.actor.id,
        secondConfirmedById: jordan.actor.id,
      });
      expect(after.verification).toMatch(/two people/);
      // What both entered reaches the revocation report and its CSV (acceptance testing: it was missing).
      const line = (await revocationReport(avery, caseId)).lines.find((l) => l.taskId === priv.id)!;
      expect(line.evidence).toBe(
        "RITM0012345: Removed in the admin console (Avery Chen); Checked the console: gone (Jordan Okafor)",
      );
      const csv: unknown[][] = [];
      for await (const r of reportCsvRows(avery, caseId)) csv.push(r);
      const evidenceColumn = REPORT_CSV_HEADER.indexOf("evidence");
      expect(csv.map((r) => r[evidenceColumn])).toContain(line.evidence);
      await expect(confirmTask(jordan, { taskId: priv.id, note: "again" })).rejects.toThrow(Conflict);
      // A plain item on a low/medium system is verified by one confirmation.
      const plain = (
        await rowsOf(
          db,
          sql`
        SELECT t.id FROM remediation_tasks t JOIN systems s ON s.id = t.system_id
         WHERE t.case_id = ${caseId} AND NOT t.privileged AND s.criticality IN ('low', 'medium') AND t.mode <> 'handover' LIMIT 1`,
          { id: col.num },
        )
      )[0];
      if (plain)
        expect((await confirmTask(avery, { taskId: Number(plain.id), note: "Disabled by hand" })).state).toBe(
          "verified",
        );
    });
  });

  it("waives only with remediation.waive and a reason; closes only when nothing is outstanding; closing ends the person's access for good", async () => {
    await rollback(async (db) => {
      const { caseId, identityId, ctx } = await freshCase(db);
      const admin = await ctxAs(db, ["admin"]);
      await expect(closeCase(ctx, { caseId })).rejects.toThrow(/not verified or waived yet/);
      for (const t of await tasksOf(db, caseId))
        await waiveTask(admin, { taskId: t.id, reason: "Covered by the RIF runbook ticket" });
      const [t0] = await tasksOf(db, caseId);
      expect(t0).toMatchObject({
        state: "waived",
        waivedById: admin.actor.id,
        waivedReason: "Covered by the RIF runbook ticket",
      });
      await expect(waiveTask(admin, { taskId: t0.id, reason: "Covered by the RIF runbook ticket" })).rejects.toThrow(
        Conflict,
      );
      const closed = await closeCase(ctx, { caseId });
      expect(new Date(closed.driftWatchUntil).getTime() - TEST_NOW.getTime()).toBe(30 * 86_400_000);
      const [c] = await db.select().from(leaverCases).where(eq(leaverCases.id, caseId));
      expect(c.status).toBe("closed");
      const [p] = await db.select().from(identities).where(eq(identities.id, identityId));
      expect(p.status).toBe("disabled");
      await expect(closeCase(ctx, { caseId })).rejects.toThrow(/already closed/);
      const [audit] = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'leaver.close' AND target_id = ${String(caseId)}`,
        { n: col.num },
      );
      expect(audit.n).toBe(1);
    });
  });

  it("hands a leaver's service account to the manager; a manager only within their team", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const ravi = await identityIdByName(db, "Ravi Menon");
      const [task] = await rowsOf(
        db,
        sql`
        SELECT t.id, t.target_id, t.new_owner_id, t.assignee_id FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id
         WHERE c.identity_id = ${ravi} AND t.action = 'transfer_ownership' AND t.state NOT IN ('verified', 'waived') ORDER BY t.id LIMIT 1`,
        { id: col.num, target_id: col.num, new_owner_id: col.numOrNull, assignee_id: col.numOrNull },
      );
      expect(task).toBeDefined();
      const maya = await actorByName(db, "Maya Patel");
      const luis = await actorByName(db, "Luis Romero");
      await expect(
        handoverOwnership(makeCtx(luis, db, TEST_NOW), { taskId: Number(task.id), newOwnerId: luis.id! }),
      ).rejects.toThrow(NotFound);
      await expect(
        handoverOwnership(makeCtx(maya, db, TEST_NOW), { taskId: Number(task.id), newOwnerId: ravi }),
      ).rejects.toThrow(Invalid);
      const done = await handoverOwnership(makeCtx(maya, db, TEST_NOW), {
        taskId: Number(task.id),
        newOwnerId: maya.id!,
      });
      expect(done).toEqual({ state: "verified", ownerName: "Maya Patel" });
      const [nhi] = await db
        .select()
        .from(identities)
        .where(eq(identities.id, Number(task.target_id)));
      expect(nhi.ownerId).toBe(maya.id);
      const creds = await rowsOf(
        db,
        sql`SELECT owner_id FROM credentials WHERE holder_id = ${Number(task.target_id)}`,
        { owner_id: col.num },
      );
      for (const c of creds) expect(Number(c.owner_id)).toBe(maya.id);
      void analyst;
    });
  });

  it("assigns cases to analysts only, and queues only automatable tasks", async () => {
    await rollback(async (db) => {
      const { caseId, ctx } = await freshCase(db);
      const jordan = await actorByName(db, "Jordan Okafor");
      expect(await assignCases(ctx, { caseIds: [caseId], assigneeId: jordan.id })).toEqual({ assigned: 1 });
      const maya = await identityIdByName(db, "Maya Patel");
      await expect(assignCases(ctx, { caseIds: [caseId], assigneeId: maya })).rejects.toThrow(Invalid);
      const tasks = await tasksOf(db, caseId);
      const result = await executeCases(ctx, { caseIds: [caseId] });
      expect(result.queued).toBe(tasks.filter((t) => t.mode === "connector").length);
      const after = await tasksOf(db, caseId);
      for (const t of after) expect(t.state).toBe(t.mode === "connector" ? "running" : "pending");
      const [jobs] = await rowsOf(db, sql`SELECT count(*)::int AS n FROM local_jobs WHERE key LIKE 'task:%'`, {
        n: col.num,
      });
      expect(jobs.n).toBeGreaterThanOrEqual(result.queued);
      // Queued twice: nothing more is queued.
      expect((await executeCases(ctx, { caseIds: [caseId] })).queued).toBe(0);
    });
  });
});
