import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { makeCtx } from "@/lib/context";
import { Invalid } from "@/lib/errors";
import { actorByName, ctxAs, identityIdByName, steppedUp } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { testRunner } from "@/lib/testing/leaver-fixtures";
import { closeCampaign, createCampaign, createSchedule, decideItems, previewCampaign } from "./commands";
import { ENFORCE_JOB, SCHEDULES_JOB } from "./jobs";
import { UNUSED_DAYS } from "./rules";

/**
 * The rules of review campaigns not covered in reviews.test.ts: API-scope campaigns (owners, reduce), the preview,
 * the revoke and escalate policies, changing a decision, recurring schedules and the auto-close.
 */
process.env.LOCKSTEP_JOBS = "local";

const DAY = 86_400_000;
const due = (days = 14) => new Date(TEST_NOW.getTime() + days * DAY);

const itemRow = z.object({
  id: col.int,
  reviewer_id: col.int,
  subject_id: col.int,
  credential_id: col.intOrNull,
  privileged: col.bool,
  recommendation: col.text,
  reason: col.text,
  relation: col.text,
  decision: col.textOrNull,
  source: col.textOrNull,
  scopes: col.json(z.array(z.string()).nullable()),
  used: col.json(z.array(z.string()).nullable()),
});
const itemsOf = (db: Db, campaignId: number) =>
  queryRows(
    db,
    sql`SELECT id, reviewer_id, subject_id, credential_id, privileged, recommendation::text AS recommendation,
               recommendation_reason AS reason, reviewer_relation::text AS relation, decision::text AS decision,
               decision_source::text AS source, snapshot->'scopes' AS scopes, snapshot->'usedScopes' AS used
          FROM review_items WHERE campaign_id = ${campaignId} ORDER BY id`,
    itemRow,
  );

type Settings = Parameters<typeof createCampaign>[1];
async function settings(db: Db, over: Partial<Settings> = {}): Promise<Settings> {
  return {
    name: "Test campaign",
    kind: "access",
    scope: { privilegedOnly: true },
    noResponsePolicy: "keep",
    stages: 1,
    fallbackReviewerId: await identityIdByName(db, "Avery Chen"),
    reminderEveryDays: 3,
    rollbackDays: 7,
    dueAt: due(),
    ...over,
  };
}

async function reviewerOf(db: Db, reviewerId: number, now = TEST_NOW) {
  const [p] = await queryRows(
    db,
    sql`SELECT display_name AS name FROM identities WHERE id = ${reviewerId}`,
    z.object({ name: col.text }),
  );
  const actor = await actorByName(db, p.name).catch(() => null);
  return makeCtx(actor ?? { kind: "user", id: reviewerId, name: p.name, email: null, roles: ["manager"] }, db, now);
}

/** Queues a job by name at the clock's now and runs everything due. */
async function runJob(db: Db, clock: ReturnType<typeof testRunner>, name: string) {
  await db.execute(
    sql`INSERT INTO local_jobs (name, payload, run_at) VALUES (${name}, '{}', ${clock.now().toISOString()}::timestamptz)`,
  );
  await clock.drain();
}

describe("API-scope campaigns", () => {
  it("send each credential to its accountable owner (else the holder's manager), recommend reducing to the used scopes, and remediate reduce and revoke at the issuer", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const s = await settings(db, { kind: "api_scope", scope: {} });
      const preview = await previewCampaign(analyst, {
        kind: s.kind,
        scope: s.scope,
        fallbackReviewerId: s.fallbackReviewerId,
      });
      const { campaignId, population } = await createCampaign(analyst, s);
      // The preview counted what the launch then created.
      expect(population).toMatchObject({
        matched: preview.matched,
        items: preview.items,
        reviewers: preview.reviewers,
      });
      const items = await itemsOf(db, campaignId);
      expect(items.length).toBe(population.items);
      expect(items.every((i) => i.credential_id !== null && i.reviewer_id !== i.subject_id)).toBe(true);

      const owners = await queryRows(
        db,
        sql`SELECT i.id, c.owner_id FROM review_items i JOIN credentials c ON c.id = i.credential_id
             WHERE i.campaign_id = ${campaignId} AND i.reviewer_relation = 'owner'`,
        z.object({ id: col.int, owner_id: col.intOrNull }),
      );
      expect(owners.length).toBeGreaterThan(0);
      const byId = new Map(items.map((i) => [i.id, i]));
      for (const o of owners) expect(byId.get(o.id)?.reviewer_id).toBe(o.owner_id);

      // Reduce: recommended when some scopes were used lately and others not; the reason names the unused ones.
      const reducible = items.filter((i) => i.recommendation === "reduce");
      expect(reducible.length).toBeGreaterThan(0);
      for (const r of reducible) {
        const unused = (r.scopes ?? []).filter((x) => !(r.used ?? []).includes(x));
        expect(unused.length).toBeGreaterThan(0);
        expect(r.reason).toContain(`Scopes unused for ${UNUSED_DAYS} days`);
        for (const x of unused) expect(r.reason).toContain(x);
      }

      const target = reducible[0];
      const reviewer = await reviewerOf(db, target.reviewer_id);
      await expect(
        decideItems(reviewer, { itemIds: [target.id], decision: "reduce", keepScopes: ["no:such-scope"] }),
      ).rejects.toThrow(Invalid);
      await expect(
        decideItems(reviewer, { itemIds: [target.id], decision: "reduce", keepScopes: target.scopes ?? [] }),
      ).rejects.toThrow(/drop/);
      // Without a choice, reduce keeps the scopes used lately.
      await decideItems(reviewer, { itemIds: [target.id], decision: "reduce" });
      const [kept] = await queryRows(
        db,
        sql`SELECT kept_scopes FROM review_items WHERE id = ${target.id}`,
        z.object({ kept_scopes: col.textArray }),
      );
      expect(kept.kept_scopes.sort()).toEqual([...(target.used ?? [])].sort());

      const revoked = items.find((i) => i.id !== target.id && i.recommendation === "revoke")!;
      await decideItems(await reviewerOf(db, revoked.reviewer_id), { itemIds: [revoked.id], decision: "revoke" });

      await closeCampaign(steppedUp(analyst), { campaignId });
      const tasks = await queryRows(
        db,
        sql`SELECT origin_id, action::text AS action FROM remediation_tasks
             WHERE origin = 'review_item' AND origin_id IN (${target.id}, ${revoked.id})`,
        z.object({ origin_id: col.int, action: col.text }),
      );
      expect(Object.fromEntries(tasks.map((t) => [t.origin_id, t.action]))).toEqual({
        [target.id]: "reduce_scopes",
        [revoked.id]: "revoke_credential",
      });
    });
  });

  it("refuses to let a holder decide a credential they hold", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const { campaignId } = await createCampaign(analyst, await settings(db, { kind: "api_scope", scope: {} }));
      const [item] = await itemsOf(db, campaignId);
      // Make the reviewer the holder too (owner and holder are one person), as can happen after a re-org.
      await db.execute(sql`UPDATE credentials SET holder_id = ${item.reviewer_id} WHERE id = ${item.credential_id}`);
      const reviewer = await reviewerOf(db, item.reviewer_id);
      await expect(
        decideItems(reviewer, { itemIds: [item.id], decision: "keep", justification: "mine" }),
      ).rejects.toThrow(/own|hold/i);
    });
  });
});

describe("decisions and policies", () => {
  it("lets a reviewer change a decision until the campaign closes", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const { campaignId } = await createCampaign(analyst, await settings(db, { scope: {} }));
      const item = (await itemsOf(db, campaignId)).find((i) => !i.privileged && i.recommendation === "keep")!;
      const reviewer = await reviewerOf(db, item.reviewer_id);
      await decideItems(reviewer, { itemIds: [item.id], decision: "revoke" });
      await decideItems(reviewer, { itemIds: [item.id], decision: "keep" });
      const [now] = (await itemsOf(db, campaignId)).filter((i) => i.id === item.id);
      expect(now).toMatchObject({ decision: "keep", source: "reviewer" });
      await closeCampaign(steppedUp(analyst), { campaignId });
      const tasks = await queryRows(
        db,
        sql`SELECT count(*)::int AS n FROM remediation_tasks WHERE origin = 'review_item' AND origin_id = ${item.id}`,
        z.object({ n: col.int }),
      );
      expect(tasks[0].n).toBe(0);
    });
  });

  it("revokes what nobody decided under the revoke policy", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const { campaignId } = await createCampaign(
        analyst,
        await settings(db, { scope: {}, noResponsePolicy: "revoke" }),
      );
      await closeCampaign(steppedUp(analyst), { campaignId });
      const items = await itemsOf(db, campaignId);
      expect(items.every((i) => i.decision === "revoke" && i.source === "policy")).toBe(true);
      const [tasks] = await queryRows(
        db,
        sql`SELECT count(*)::int AS n FROM remediation_tasks t JOIN review_items i ON i.id = t.origin_id
             WHERE t.origin = 'review_item' AND i.campaign_id = ${campaignId}`,
        z.object({ n: col.int }),
      );
      expect(tasks.n).toBe(items.length);
    });
  });

  it("escalates everything undecided to the reviewer's manager once due under the escalate policy, then closes it 7 days after the due date", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const { campaignId } = await createCampaign(
        analyst,
        await settings(db, { scope: {}, noResponsePolicy: "escalate", dueAt: due(2) }),
      );
      const before = await itemsOf(db, campaignId);
      const managers = new Map(
        (
          await queryRows(
            db,
            sql`SELECT id, manager_id FROM identities WHERE id IN (SELECT reviewer_id FROM review_items WHERE campaign_id = ${campaignId})`,
            z.object({ id: col.int, manager_id: col.intOrNull }),
          )
        ).map((r) => [r.id, r.manager_id]),
      );
      const clock = testRunner(db, TEST_NOW);
      clock.advance(2 * DAY + 60_000);
      await runJob(db, clock, ENFORCE_JOB);
      const after = new Map((await itemsOf(db, campaignId)).map((i) => [i.id, i]));
      const plainEscalated = before.filter((i) => !i.privileged && after.get(i.id)?.relation === "escalation");
      expect(plainEscalated.length).toBeGreaterThan(0);
      for (const i of plainEscalated) expect(after.get(i.id)?.reviewer_id).toBe(managers.get(i.reviewer_id));

      const status = async () =>
        (
          await queryRows(
            db,
            sql`SELECT status::text AS status FROM review_campaigns WHERE id = ${campaignId}`,
            z.object({ status: col.text }),
          )
        )[0].status;
      clock.advance(6 * DAY);
      await runJob(db, clock, ENFORCE_JOB);
      expect(await status()).toBe("active");
      clock.advance(DAY + 60_000);
      await runJob(db, clock, ENFORCE_JOB);
      expect(await status()).toBe("closed");
      const closed = await itemsOf(db, campaignId);
      expect(closed.filter((i) => !i.privileged).every((i) => i.decision === "keep" && i.source === "policy")).toBe(
        true,
      );
    });
  });
});

describe("recurring schedules", () => {
  it("launch a campaign by themselves when due, audited, and move on by the cadence", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const s = await settings(db);
      const firstRunAt = new Date(TEST_NOW.getTime() + DAY);
      const { scheduleId } = await createSchedule(analyst, {
        ...s,
        name: "Privileged access (quarterly)",
        cadence: "quarterly",
        durationDays: 14,
        firstRunAt,
      });
      await expect(
        createSchedule(analyst, { ...s, name: "Too late", cadence: "yearly", durationDays: 14, firstRunAt: due(-2) }),
      ).rejects.toThrow(Invalid);
      const clock = testRunner(db, TEST_NOW);
      const campaigns = () =>
        queryRows(
          db,
          sql`SELECT c.id, c.status::text AS status, c.due_at, (SELECT count(*) FROM review_items i WHERE i.campaign_id = c.id)::int AS items
                FROM review_campaigns c WHERE c.schedule_id = ${scheduleId}`,
          z.object({ id: col.int, status: col.text, due_at: col.date, items: col.int }),
        );
      await runJob(db, clock, SCHEDULES_JOB);
      expect(await campaigns()).toEqual([]);
      clock.advance(DAY + 60_000);
      await runJob(db, clock, SCHEDULES_JOB);
      const [run] = await campaigns();
      expect(run).toMatchObject({ status: "active" });
      expect(run.items).toBeGreaterThan(0);
      expect(run.due_at.getTime()).toBe(clock.now().getTime() + 14 * DAY);
      const [schedule] = await queryRows(
        db,
        sql`SELECT next_run_at, last_run_at FROM review_schedules WHERE id = ${scheduleId}`,
        z.object({ next_run_at: col.date, last_run_at: col.dateOrNull }),
      );
      const next = new Date(firstRunAt);
      next.setUTCMonth(next.getUTCMonth() + 3);
      expect(schedule.next_run_at.getTime()).toBe(next.getTime());
      const [event] = await queryRows(
        db,
        sql`SELECT actor_id, after->>'scheduleId' AS schedule FROM audit_events
             WHERE action = 'review.campaign_create' AND target_id = ${String(run.id)}`,
        z.object({ actor_id: col.intOrNull, schedule: col.text }),
      );
      // Launched by the system itself, not by a person.
      expect(event).toEqual({ actor_id: null, schedule: String(scheduleId) });
      // It runs once per period: the next hour does not launch it again.
      clock.advance(3_600_000);
      await runJob(db, clock, SCHEDULES_JOB);
      expect((await campaigns()).length).toBe(1);
    });
  });
});
