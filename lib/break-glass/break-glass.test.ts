import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { userActor } from "@/lib/authz";
import { makeCtx, transact } from "@/lib/context";
import { Conflict, Forbidden, HTTP_STATUS, Invalid, NotFound, toFailure } from "@/lib/errors";
import { listTasks } from "@/lib/remediation/queries";
import { ctxAs, ctxByName } from "@/lib/testing/actors";
import { rollback, testDb } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { testRunner } from "@/lib/testing/leaver-fixtures";
import {
  approveBreakGlass,
  cancelBreakGlass,
  denyBreakGlass,
  disputeBreakGlass,
  endBreakGlass,
  recordPostReview,
  requestBreakGlass,
} from "./commands";
import { approverPoolHealth, getBreakGlassRequest, previewPoolHealth } from "./detail";
import { EXPIRE_JOB } from "./expiry-job";
import { consumePass } from "./passes.internal";
import { updateBreakGlassPolicy } from "./policy";
import { approvalsQueue, breakGlassOverview, recoveryDowngrades } from "./queries";
import { approvalsMet, DEFAULT_BREAK_GLASS_POLICY, grantedMinutes, passMinStrength, unmetApprovals } from "./rules";

process.env.LOCKSTEP_JOBS = "local";
const MIN = 60_000;

/** A person with an active account on a simulated-connector system holding a privileged entitlement they lack. */
async function emergencyCase(db: Db) {
  const [c] = await queryRows(
    db,
    sql`SELECT i.id AS subject_id, i.display_name AS name, i.manager_id, e.id AS entitlement_id, a.id AS account_id
          FROM accounts a
          JOIN systems s ON s.id = a.system_id AND s.connector_simulated
          JOIN entitlements e ON e.system_id = a.system_id AND e.privileged
          JOIN identities i ON i.id = a.identity_id AND i.kind = 'human' AND i.status = 'active'
         WHERE a.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.account_id = a.id AND g.entitlement_id = e.id AND g.revoked_at IS NULL)
           AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
           AND NOT EXISTS (SELECT 1 FROM identities x JOIN console_roles r ON r.identity_id = x.id AND r.role = 'approver'
                            WHERE x.manager_id = i.id)
           AND NOT EXISTS (SELECT 1 FROM break_glass_requests b WHERE b.subject_id = i.id)
         ORDER BY i.id LIMIT 1`,
    z.object({
      subject_id: col.int,
      name: col.text,
      manager_id: col.intOrNull,
      entitlement_id: col.int,
      account_id: col.int,
    }),
  );
  // The subject signs in to ask for themselves (any console role lets a person ask).
  const subject = makeCtx(userActor(c.subject_id, c.name, ["manager"]), db, TEST_NOW);
  return { ...c, subject };
}

const approvers = async (db: Db, now = TEST_NOW) => ({
  sam: await ctxByName(db, "Sam Rivera", now),
  noor: await ctxByName(db, "Noor Haddad", now),
  grace: await ctxByName(db, "Grace Kim", now),
});

const emergency = (entitlementId: number, minutes = 60) => ({
  kind: "emergency_access" as const,
  entitlementId,
  durationMinutes: minutes,
  reasonCode: "incident_response" as const,
  reason: "INC-9001: payments API is down and the runbook needs admin rights",
  ticketRef: "INC-9001",
});

const liveGrant = (db: Db, accountId: number, entitlementId: number) =>
  queryRows(
    db,
    sql`SELECT id, source::text AS source, expires_at FROM grants
         WHERE account_id = ${accountId} AND entitlement_id = ${entitlementId} AND revoked_at IS NULL`,
    z.object({ id: col.int, source: col.text, expires_at: col.dateOrNull }),
  );

describe("policy rules", () => {
  it("needs distinct approvers, one per required group, and never extends the time asked", () => {
    const twoGroups = { requiredApprovals: 2, groups: [{ label: "Security" }, { label: "Owner" }] } as never;
    expect(approvalsMet(DEFAULT_BREAK_GLASS_POLICY, [{ approverId: 1, groups: [] }])).toBe(false);
    expect(
      approvalsMet(DEFAULT_BREAK_GLASS_POLICY, [
        { approverId: 1, groups: [] },
        { approverId: 2, groups: [] },
      ]),
    ).toBe(true);
    // One person in both groups cannot stand for both.
    expect(
      approvalsMet(twoGroups, [
        { approverId: 1, groups: ["Security", "Owner"] },
        { approverId: 2, groups: [] },
      ]),
    ).toBe(false);
    expect(
      approvalsMet(twoGroups, [
        { approverId: 1, groups: ["Security", "Owner"] },
        { approverId: 2, groups: ["Security"] },
      ]),
    ).toBe(true);
    expect(grantedMinutes(120, [null, 45], 240)).toBe(45);
    expect(grantedMinutes(600, [null], 240)).toBe(240);
    expect(passMinStrength(null)).toBe(3);
    expect(passMinStrength(5)).toBe(5);
  });
});

describe("emergency access", () => {
  it("is granted at the system after two independent approvals, verified, and removed by itself at expiry", async () => {
    await rollback(async (db) => {
      const c = await emergencyCase(db);
      const { sam, noor, grace } = await approvers(db);
      const { requestId, eligibleApprovers } = await requestBreakGlass(c.subject, emergency(c.entitlement_id, 90));
      expect(eligibleApprovers).toBeGreaterThanOrEqual(2);
      // The approvers were told, in-app.
      const [told] = await queryRows(
        db,
        sql`SELECT count(*)::int AS n FROM notices WHERE kind = 'break_glass.approval_needed' AND target_id = ${requestId}`,
        z.object({ n: col.int }),
      );
      expect(told.n).toBe(eligibleApprovers);
      expect((await approvalsQueue(sam)).find((q) => q.id === requestId)).toMatchObject({
        blocked: null,
        approvals: 0,
      });

      // An approver may shorten, never extend.
      await expect(approveBreakGlass(sam, { requestId, durationMinutes: 120 })).rejects.toThrow(Invalid);
      expect(await approveBreakGlass(sam, { requestId, durationMinutes: 30 })).toMatchObject({
        status: "pending",
        approvals: 1,
      });
      await expect(approveBreakGlass(sam, { requestId })).rejects.toThrow(/already decided/);
      // Admins and analysts hold no approve permission; the subject cannot approve their own.
      await expect(approveBreakGlass(await ctxAs(db, ["admin"]), { requestId })).rejects.toThrow(Forbidden);
      await expect(approveBreakGlass(await ctxAs(db, ["analyst"]), { requestId })).rejects.toThrow(Forbidden);
      await expect(
        approveBreakGlass(makeCtx(userActor(c.subject_id, c.name, ["approver"]), db, TEST_NOW), { requestId }),
      ).rejects.toThrow(/you are the subject/);

      const done = await approveBreakGlass(noor, { requestId });
      expect(done).toMatchObject({ status: "active", approvals: 2, pass: null });
      await expect(approveBreakGlass(grace, { requestId })).rejects.toThrow(Conflict);

      const clock = testRunner(db, TEST_NOW);
      await clock.drain();
      const [grant] = await liveGrant(db, c.account_id, c.entitlement_id);
      expect(grant.source).toBe("break_glass");
      // Shortened by the first approver to 30 minutes.
      expect(grant.expires_at?.getTime()).toBe(TEST_NOW.getTime() + 30 * MIN);
      const detail = await getBreakGlassRequest(sam, requestId);
      expect(detail.tasks).toEqual([expect.objectContaining({ action: "add_grant", state: "verified" })]);
      expect(detail.timeline.map((t) => t.action)).toEqual(
        expect.arrayContaining(["break_glass.request", "break_glass.approve", "break_glass.activate"]),
      );
      expect((await breakGlassOverview(sam)).active).toBeGreaterThanOrEqual(1);

      // At expiry the job ends it: the grant is removed at the system and the removal verified.
      clock.advance(31 * MIN);
      await clock.drain();
      expect(await liveGrant(db, c.account_id, c.entitlement_id)).toEqual([]);
      const after = await getBreakGlassRequest(sam, requestId);
      expect(after.request.status).toBe("expired");
      expect(after.tasks.map((t) => [t.action, t.state])).toEqual([
        ["add_grant", "verified"],
        ["remove_grant", "verified"],
      ]);
      // A post-incident review is due within the policy's days.
      expect(after.request.postReviewDueAt?.getTime()).toBe(TEST_NOW.getTime() + 30 * MIN + 5 * 86_400_000);
      await recordPostReview(c.subject, {
        requestId,
        summary: "Promoted the replica and restored payments; see INC-9001 timeline.",
      });
      await expect(recordPostReview(noor, { requestId, summary: "Recorded twice by mistake, again" })).rejects.toThrow(
        Conflict,
      );
    });
  });

  it("shows the grant's remediation tasks to approvers of the request; an unrelated manager is refused", async () => {
    await rollback(async (db) => {
      const c = await emergencyCase(db);
      const { sam, noor, grace } = await approvers(db);
      const { requestId } = await requestBreakGlass(c.subject, emergency(c.entitlement_id));
      await approveBreakGlass(sam, { requestId });
      await approveBreakGlass(noor, { requestId });
      await testRunner(db, TEST_NOW).drain();
      const origin = { type: "break_glass" as const, id: requestId };

      // Both approvers, and an approver who did not decide it (they see every request), read the engine's rows.
      for (const approver of [sam, noor, grace]) {
        expect(await listTasks(approver, origin)).toEqual([
          expect.objectContaining({ action: "add_grant", state: "verified", privileged: true }),
        ]);
      }
      expect(await listTasks(await ctxAs(db, ["analyst"]), origin)).toHaveLength(1);

      // A manager with no part in it: neither the request nor its tasks.
      const manager = await ctxAs(db, ["manager"]);
      expect(manager.actor.id).not.toBe(c.subject_id);
      await expect(listTasks(manager, origin)).rejects.toThrow(Forbidden);
      await expect(getBreakGlassRequest(manager, requestId)).rejects.toThrow(NotFound);
      // The subject sees their request (with the task summary it carries), not the engine's rows.
      expect((await getBreakGlassRequest(c.subject, requestId)).tasks).toHaveLength(1);
      await expect(listTasks(c.subject, origin)).rejects.toThrow(Forbidden);
    });
  });

  it("refuses the subject's manager as approver, lapses when nobody approves, and ends on any deny", async () => {
    await rollback(async (db) => {
      const c = await emergencyCase(db);
      const { sam, noor } = await approvers(db);
      // Make Sam the subject's manager: Sam is then not independent.
      await db.execute(sql`UPDATE identities SET manager_id = ${sam.actor.id} WHERE id = ${c.subject_id}`);
      const first = await requestBreakGlass(c.subject, emergency(c.entitlement_id));
      await expect(approveBreakGlass(sam, { requestId: first.requestId })).rejects.toThrow(/manager chain/);
      expect((await approvalsQueue(sam)).find((q) => q.id === first.requestId)?.blocked).toMatch(/manager chain/);
      await denyBreakGlass(noor, { requestId: first.requestId, reason: "No incident open under that number" });
      expect((await getBreakGlassRequest(noor, first.requestId)).request.status).toBe("denied");
      await expect(approveBreakGlass(sam, { requestId: first.requestId })).rejects.toThrow(Conflict);

      const second = await requestBreakGlass(c.subject, emergency(c.entitlement_id));
      await expect(requestBreakGlass(c.subject, emergency(c.entitlement_id))).rejects.toThrow(/still open/);
      const clock = testRunner(db, TEST_NOW);
      clock.advance(121 * MIN);
      await db.execute(
        sql`INSERT INTO local_jobs (name, payload, run_at) VALUES (${EXPIRE_JOB}, '{}', ${clock.now().toISOString()}::timestamptz)`,
      );
      await clock.drain();
      expect((await getBreakGlassRequest(noor, second.requestId)).request.status).toBe("expired");

      const third = await requestBreakGlass(c.subject, emergency(c.entitlement_id));
      await cancelBreakGlass(c.subject, { requestId: third.requestId });
      await expect(cancelBreakGlass(c.subject, { requestId: third.requestId })).rejects.toThrow(Conflict);
    });
  });

  it('ends at once when the subject says "this wasn\'t me", and alerts the approvers', async () => {
    await rollback(async (db) => {
      const c = await emergencyCase(db);
      const { sam, noor } = await approvers(db);
      const { requestId } = await requestBreakGlass(c.subject, emergency(c.entitlement_id));
      await approveBreakGlass(sam, { requestId });
      await approveBreakGlass(noor, { requestId });
      await testRunner(db, TEST_NOW).drain();
      expect(await liveGrant(db, c.account_id, c.entitlement_id)).toHaveLength(1);
      await expect(disputeBreakGlass(sam, { requestId })).rejects.toThrow(Forbidden);
      const disputed = await disputeBreakGlass(c.subject, { requestId });
      expect(disputed.removalTaskIds).toHaveLength(1);
      await testRunner(db, TEST_NOW).drain();
      expect(await liveGrant(db, c.account_id, c.entitlement_id)).toEqual([]);
      const [alerts] = await queryRows(
        db,
        sql`SELECT count(*)::int AS n FROM notices WHERE kind = 'break_glass.disputed' AND target_id = ${requestId} AND identity_id = ${noor.actor.id}`,
        z.object({ n: col.int }),
      );
      expect(alerts.n).toBe(1);
      expect((await getBreakGlassRequest(sam, requestId)).request.status).toBe("disputed");
    });
  });

  it("refuses a dispute where nothing happened and nothing can (denied, cancelled, lapsed unapproved)", async () => {
    await rollback(async (db) => {
      const c = await emergencyCase(db);
      const { noor } = await approvers(db);
      const disputeEvents = async () => {
        const [n] = await queryRows(
          db,
          sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'break_glass.dispute'`,
          z.object({ n: col.int }),
        );
        return n.n;
      };
      const before = await disputeEvents();
      const refused = async (requestId: number, words: RegExp, status: string) => {
        const err = await disputeBreakGlass(c.subject, { requestId }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(Conflict);
        expect(toFailure(err)).toMatchObject({ code: "conflict", message: expect.stringMatching(words) });
        expect(HTTP_STATUS.conflict).toBe(409);
        expect((await getBreakGlassRequest(noor, requestId)).request.status).toBe(status);
      };

      const denied = await requestBreakGlass(c.subject, emergency(c.entitlement_id));
      await denyBreakGlass(noor, { requestId: denied.requestId, reason: "No incident under that number" });
      await refused(denied.requestId, /was denied: nothing was granted and nothing can be/, "denied");

      const cancelled = await requestBreakGlass(c.subject, emergency(c.entitlement_id));
      await cancelBreakGlass(c.subject, { requestId: cancelled.requestId });
      await refused(cancelled.requestId, /was cancelled: nothing was granted/, "cancelled");

      const lapsed = await requestBreakGlass(c.subject, emergency(c.entitlement_id));
      const clock = testRunner(db, TEST_NOW);
      clock.advance(121 * MIN);
      await db.execute(
        sql`INSERT INTO local_jobs (name, payload, run_at) VALUES (${EXPIRE_JOB}, '{}', ${clock.now().toISOString()}::timestamptz)`,
      );
      await clock.drain();
      await refused(lapsed.requestId, /lapsed without approval: nothing was granted/, "expired");
      expect(await disputeEvents()).toBe(before);
    });
  });

  it("lets the subject dispute a request made in their name while it is still pending: it stops there", async () => {
    await rollback(async (db) => {
      const c = await emergencyCase(db);
      const analyst = await ctxAs(db, ["analyst"]);
      const { sam } = await approvers(db);
      const { requestId } = await requestBreakGlass(analyst, {
        kind: "account_recovery",
        subjectId: c.subject_id,
        reasonCode: "locked_out",
        reason: "Caller says their phone was lost",
        ticketRef: undefined,
        recoveryFactor: "passkey_device_bound",
      });
      expect(await disputeBreakGlass(c.subject, { requestId })).toMatchObject({ status: "disputed", voided: 0 });
      const checklist = { videoCallWithId: true, managerConfirmed: false, inPerson: false };
      await expect(approveBreakGlass(sam, { requestId, checklist })).rejects.toThrow(/disputed/);
    });
  });

  it("can be ended early by the subject; nobody else but an approver may end it", async () => {
    await rollback(async (db) => {
      const c = await emergencyCase(db);
      const { sam, noor } = await approvers(db);
      const { requestId } = await requestBreakGlass(c.subject, emergency(c.entitlement_id));
      await approveBreakGlass(sam, { requestId });
      await approveBreakGlass(noor, { requestId });
      await testRunner(db, TEST_NOW).drain();
      await expect(endBreakGlass(await ctxAs(db, ["analyst"]), { requestId, reason: "Not needed" })).rejects.toThrow(
        Forbidden,
      );
      await endBreakGlass(c.subject, { requestId, reason: "Incident resolved" });
      await testRunner(db, TEST_NOW).drain();
      expect(await liveGrant(db, c.account_id, c.entitlement_id)).toEqual([]);
    });
  });
});

describe("account recovery", () => {
  it("never issues a weaker factor: a pass from two approvals with proofing enrols a passkey and refuses SMS", async () => {
    await rollback(async (db) => {
      const c = await emergencyCase(db);
      const analyst = await ctxAs(db, ["analyst"]);
      const { sam, noor } = await approvers(db);
      await db.execute(sql`UPDATE identity_posture SET effective_strength = 4 WHERE identity_id = ${c.subject_id}`);
      const recovery = {
        kind: "account_recovery" as const,
        subjectId: c.subject_id,
        reasonCode: "lost_factor" as const,
        reason: "Phone with the synced passkey was stolen on the train",
        ticketRef: undefined,
      };
      await expect(requestBreakGlass(analyst, { ...recovery, recoveryFactor: "sms_otp" })).rejects.toThrow(/downgrade/);
      // A manager may not ask on someone else's behalf.
      await expect(
        requestBreakGlass(makeCtx(userActor(sam.actor.id as number, "x", ["manager"]), db, TEST_NOW), {
          ...recovery,
          recoveryFactor: "passkey_synced",
        }),
      ).rejects.toThrow(Forbidden);
      const { requestId } = await requestBreakGlass(analyst, { ...recovery, recoveryFactor: "passkey_device_bound" });
      await expect(approveBreakGlass(sam, { requestId })).rejects.toThrow(/proofed/);
      await approveBreakGlass(sam, {
        requestId,
        checklist: { videoCallWithId: true, managerConfirmed: false, inPerson: false },
      });
      const done = await approveBreakGlass(noor, {
        requestId,
        checklist: { videoCallWithId: false, managerConfirmed: true, inPerson: false },
      });
      expect(done.status).toBe("active");
      const secret = done.pass?.secret as string;
      expect(secret).toBeTruthy();
      const [stored] = await queryRows(
        db,
        sql`SELECT min_strength, secret_hash FROM enrolment_passes WHERE request_id = ${requestId}`,
        z.object({ min_strength: col.int, secret_hash: col.text }),
      );
      expect(stored.min_strength).toBe(4);
      expect(stored.secret_hash).not.toContain(secret);
      // The subject is told, at their addresses (in-app here).
      const [notice] = await queryRows(
        db,
        sql`SELECT href FROM notices WHERE identity_id = ${c.subject_id} AND kind = 'break_glass.activated'`,
        z.object({ href: col.text }),
      );
      expect(notice.href).toBe(`/break-glass/${requestId}`);

      const use = (factor: "sms_otp" | "passkey_synced", identityId = c.subject_id) =>
        transact(makeCtx(userActor(identityId, c.name, []), db, TEST_NOW), (tx) =>
          consumePass(tx, { secret, identityId, factor }),
        );
      await expect(use("sms_otp")).rejects.toThrow(/weaker/);
      await expect(use("passkey_synced", sam.actor.id as number)).rejects.toThrow(/not found/);
      await expect(use("passkey_synced")).resolves.toMatchObject({ requestId });
      await expect(use("passkey_synced")).rejects.toThrow(/already used/);

      // At the IdP the pass cannot hold the floor by itself: a weaker factor recorded later is a finding.
      expect(await recoveryDowngrades(sam)).toEqual([]);
      await db.execute(
        sql`INSERT INTO authenticators (identity_id, type, usage, status, channel, enrolled_at)
            VALUES (${c.subject_id}, 'sms_otp', 'primary', 'active', 'sms', ${new Date(TEST_NOW.getTime() + MIN).toISOString()}::timestamptz)`,
      );
      expect(await recoveryDowngrades(sam)).toEqual([
        expect.objectContaining({
          requestId,
          minStrength: 4,
          factor: expect.objectContaining({ type: "sms_otp", strength: 2 }),
        }),
      ]);

      // The request page carries the finding for its subject (the DTO the page renders), to those who read
      // break-glass; one person's findings only.
      const [sms] = await queryRows(
        db,
        sql`SELECT id FROM authenticators WHERE identity_id = ${c.subject_id} AND type = 'sms_otp' ORDER BY id DESC LIMIT 1`,
        z.object({ id: col.int }),
      );
      const finding = {
        requestId,
        subject: { id: c.subject_id, name: c.name },
        recoveredAt: TEST_NOW,
        minStrength: 4,
        factor: { id: sms.id, type: "sms_otp", strength: 2, enrolledAt: new Date(TEST_NOW.getTime() + MIN) },
      };
      expect(await recoveryDowngrades(sam, { subjectId: c.subject_id })).toEqual([finding]);
      expect(await recoveryDowngrades(sam, { subjectId: sam.actor.id as number })).toEqual([]);
      expect((await getBreakGlassRequest(sam, requestId)).downgrades).toEqual([finding]);
      expect((await getBreakGlassRequest(analyst, requestId)).downgrades).toEqual([finding]);
      // The subject sees their request but not the finding (it is for the people who act on it); managers are
      // refused the query.
      const subjectCtx = makeCtx(userActor(c.subject_id, c.name, ["manager"]), db, TEST_NOW);
      expect((await getBreakGlassRequest(subjectCtx, requestId)).downgrades).toEqual([]);
      await expect(recoveryDowngrades(await ctxAs(db, ["manager"]))).rejects.toThrow(Forbidden);
    });
  });

  it("shows no downgrade on a recovery's page while the subject's factors hold the floor", async () => {
    await rollback(async (db) => {
      const c = await emergencyCase(db);
      const analyst = await ctxAs(db, ["analyst"]);
      const { requestId } = await requestBreakGlass(analyst, {
        kind: "account_recovery",
        subjectId: c.subject_id,
        reasonCode: "lost_factor",
        reason: "Laptop with the platform passkey was wiped",
        ticketRef: undefined,
        recoveryFactor: "passkey_device_bound",
      });
      expect((await getBreakGlassRequest(analyst, requestId)).downgrades).toEqual([]);
    });
  });
});

describe("approver pool and policy", () => {
  it("flags a policy that cannot be met before anyone needs it; only admins change the policy", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const { sam } = await approvers(db);
      expect((await approverPoolHealth(sam)).canBeMet).toBe(true);
      await expect(
        updateBreakGlassPolicy(sam, { ...DEFAULT_BREAK_GLASS_POLICY, requiredApprovals: 5 }),
      ).rejects.toThrow(Forbidden);
      await updateBreakGlassPolicy(admin, { ...DEFAULT_BREAK_GLASS_POLICY, requiredApprovals: 5 });
      const health = await approverPoolHealth(sam);
      expect(health.canBeMet).toBe(false);
      expect(health.problems[0]).toMatch(/policy needs 5/);
    });
  });
});

describe("a system-owner group and account recovery", () => {
  it("flags the policy as unmeetable for recovery (a recovery has no system, so no owner), not for emergency access", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const analyst = await ctxAs(db, ["analyst"]);
      const { sam, noor, grace } = await approvers(db);
      const ownerPolicy = {
        ...DEFAULT_BREAK_GLASS_POLICY,
        groups: [{ kind: "system_owner" as const, label: "System owner" }],
      };
      await updateBreakGlassPolicy(admin, ownerPolicy);

      const health = await approverPoolHealth(sam);
      expect(health.canBeMetFor).toEqual({ emergency_access: true, account_recovery: false });
      expect(health.canBeMet).toBe(false);
      expect(health.problems).toContainEqual(
        expect.stringMatching(/Account recovery cannot be approved.*"System owner"/),
      );
      expect(unmetApprovals(health.canBeMetFor)).toBe("Account recovery approvals");
      // The same verdict on a draft, before an administrator saves it.
      expect((await previewPoolHealth(admin, ownerPolicy)).canBeMetFor.account_recovery).toBe(false);

      // What it flags is real: two (even three) independent approvals never activate a recovery under it.
      const c = await emergencyCase(db);
      const asked = await requestBreakGlass(analyst, {
        kind: "account_recovery",
        subjectId: c.subject_id,
        reasonCode: "lost_factor",
        reason: "Security key lost while travelling",
        ticketRef: undefined,
        recoveryFactor: "passkey_device_bound",
      });
      expect(asked.canBeMet).toBe(false);
      const checklist = { videoCallWithId: true, managerConfirmed: false, inPerson: false };
      for (const approver of [sam, noor, grace]) {
        expect(await approveBreakGlass(approver, { requestId: asked.requestId, checklist })).toMatchObject({
          status: "pending",
        });
      }

      // Without the group the same pool meets it for both kinds again.
      await updateBreakGlassPolicy(admin, DEFAULT_BREAK_GLASS_POLICY);
      expect((await approverPoolHealth(sam)).canBeMetFor).toEqual({ emergency_access: true, account_recovery: true });
    });
  });
});

describe("parallel approvals", () => {
  it("do not double-count: two approvers at once activate it exactly once", async () => {
    const db = await testDb();
    const c = await emergencyCase(db);
    const { sam, noor } = await approvers(db, new Date());
    const subject = makeCtx(c.subject.actor, db, new Date());
    const { requestId } = await requestBreakGlass(subject, emergency(c.entitlement_id));
    try {
      const results = await Promise.allSettled([
        approveBreakGlass(sam, { requestId }),
        approveBreakGlass(noor, { requestId }),
      ]);
      expect(results.every((r) => r.status === "fulfilled")).toBe(true);
      const statuses = results.map((r) => (r.status === "fulfilled" ? r.value.status : null)).sort();
      expect(statuses).toEqual(["active", "pending"]);
      const [n] = await queryRows(
        db,
        sql`SELECT (SELECT count(*) FROM break_glass_approvals WHERE request_id = ${requestId})::int AS approvals,
                   (SELECT count(*) FROM remediation_tasks WHERE origin = 'break_glass' AND origin_id = ${requestId})::int AS tasks`,
        z.object({ approvals: col.int, tasks: col.int }),
      );
      expect(n).toEqual({ approvals: 2, tasks: 1 });
    } finally {
      // Committed for real (so the two transactions overlap on PostgreSQL): end it so later tests see no live grant.
      await endBreakGlass(makeCtx(sam.actor, db, new Date()), { requestId, reason: "Test over" }).catch(
        () => undefined,
      );
    }
  });
});
