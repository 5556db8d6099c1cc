import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { makeCtx } from "@/lib/context";
import { Conflict, Forbidden, Invalid, NotFound, StepUpRequired } from "@/lib/errors";
import { actorByName, ctxAs, identityIdByName, steppedUp } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { testRunner } from "@/lib/testing/leaver-fixtures";
import { rowsOf } from "@/lib/testing/sql";
import {
  closeCampaign,
  createCampaign,
  decideItems,
  delegateItems,
  nudgeReviewers,
  previewCampaign,
  restoreItem,
} from "./commands";
import { ENFORCE_JOB } from "./jobs";
import { campaignReviewers, campaignTasks, getCampaign, listCampaigns, reviewInbox } from "./queries";
import { reportLines } from "./report";
import { myRestorableItems, restorableItems } from "./restorable";
import { FEW_PEERS_SHARE, MIN_PEER_GROUP, UNUSED_DAYS } from "./rules";

process.env.LOCKSTEP_JOBS = "local";

const DAY = 86_400_000;
const due = (days = 14) => new Date(TEST_NOW.getTime() + days * DAY);

const itemRow = {
  id: col.int,
  reviewer_id: col.int,
  subject_id: col.int,
  grant_id: col.intOrNull,
  credential_id: col.intOrNull,
  privileged: col.bool,
  recommendation: col.text,
  reviewer_relation: col.text,
  decision: col.textOrNull,
  snapshot: col.json(z.record(z.string(), z.unknown()).nullable()),
};
type Item = z.output<z.ZodObject<typeof itemRow>>;
const itemsOf = (db: Db, campaignId: number) =>
  rowsOf(
    db,
    sql`SELECT id::int AS id, reviewer_id, subject_id, grant_id::int AS grant_id, credential_id, privileged,
               recommendation::text AS recommendation, reviewer_relation::text AS reviewer_relation, decision::text AS decision, snapshot
          FROM review_items WHERE campaign_id = ${campaignId} ORDER BY id`,
    itemRow,
  );

async function launch(db: Db, settings: Partial<Parameters<typeof createCampaign>[1]> = {}) {
  const analyst = await ctxAs(db, ["analyst"]);
  const avery = await identityIdByName(db, "Avery Chen");
  const { campaignId, population } = await createCampaign(analyst, {
    name: "Test access review",
    kind: "access",
    scope: { privilegedOnly: true },
    noResponsePolicy: "keep",
    stages: 1,
    fallbackReviewerId: avery,
    reminderEveryDays: 3,
    rollbackDays: 7,
    dueAt: due(),
    ...settings,
  });
  return { analyst, campaignId, population, items: await itemsOf(db, campaignId) };
}

/** A reviewer's context: the item's reviewer, signed in as the manager they are. */
async function reviewerOf(db: Db, reviewerId: number) {
  const [p] = await rowsOf(db, sql`SELECT display_name AS name FROM identities WHERE id = ${reviewerId}`, {
    name: col.text,
  });
  const actor = await actorByName(db, p.name).catch(() => null);
  return makeCtx(
    actor ?? { kind: "user", id: reviewerId, name: p.name, email: null, roles: ["manager"] },
    db,
    TEST_NOW,
  );
}

describe("launching a campaign", () => {
  it("creates one item per matching grant (set-based), skips people inside open leaver cases, and stores the population", async () => {
    await rollback(async (db) => {
      const preview = await previewCampaign(await ctxAs(db, ["analyst"]), {
        kind: "access",
        scope: { privilegedOnly: true },
        fallbackReviewerId: await identityIdByName(db, "Avery Chen"),
      });
      const { population, items } = await launch(db);
      expect(population).toMatchObject({
        matched: preview.matched,
        items: preview.items,
        reviewers: preview.reviewers,
      });
      expect(items.length).toBe(population.items);
      const [live] = await rowsOf(
        db,
        sql`SELECT count(*)::int AS all,
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = a.identity_id AND c.status <> 'closed'))::int AS open_case
              FROM grants g JOIN accounts a ON a.id = g.account_id AND a.status = 'active'
              JOIN entitlements e ON e.id = g.entitlement_id AND e.privileged
              JOIN identities i ON i.id = a.identity_id AND i.kind = 'human' AND i.status <> 'disabled'
             WHERE g.revoked_at IS NULL`,
        { all: col.num, open_case: col.num },
      );
      expect(population.matched).toBe(live.all);
      expect(population.skippedOpenCase).toBe(live.open_case);
      expect(live.open_case).toBeGreaterThan(0);
      const inCase = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM review_items i WHERE i.campaign_id = ${items[0] ? sql`(SELECT campaign_id FROM review_items WHERE id = ${items[0].id})` : sql`0`}
             AND EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = i.subject_id AND c.status <> 'closed')`,
        { n: col.num },
      );
      expect(inCase[0].n).toBe(0);
      expect(population.definition).toMatch(/privileged entitlements only/);
    });
  });

  it("sends each item to the subject's manager (when they can sign in to review), never to the subject; the fallback takes the rest", async () => {
    await rollback(async (db) => {
      const { items } = await launch(db);
      const managers = await rowsOf(
        db,
        sql`SELECT i.id, i.manager_id,
                   coalesce(m.kind = 'human' AND m.status = 'active' AND EXISTS (SELECT 1 FROM console_roles r
                     WHERE r.identity_id = m.id AND r.role IN ('manager', 'analyst', 'admin')), false) AS manager_ok
              FROM identities i LEFT JOIN identities m ON m.id = i.manager_id`,
        { id: col.num, manager_id: col.numOrNull, manager_ok: col.bool },
      );
      const byId = new Map(managers.map((m) => [Number(m.id), m]));
      const avery = await identityIdByName(db, "Avery Chen");
      for (const it of items) {
        expect(it.reviewer_id).not.toBe(it.subject_id);
        const m = byId.get(it.subject_id)!;
        if (m.manager_ok) expect([it.reviewer_id, it.reviewer_relation]).toEqual([Number(m.manager_id), "manager"]);
        else expect(it.reviewer_id === avery || it.reviewer_relation === "system_owner").toBe(true);
      }
    });
  });

  it("recommends in SQL what the rules say, with the reason: leaver, never-used privileged, unused 90 days, few peers", async () => {
    await rollback(async (db) => {
      const { campaignId } = await launch(db, { scope: {} });
      const facts = await rowsOf(
        db,
        sql`SELECT i.recommendation::text AS rec, p.status::text AS status, i.privileged, g.last_used_at, g.granted_at,
                   (i.snapshot->'peers'->>'holding')::int AS holding, (i.snapshot->'peers'->>'team')::int AS team
              FROM review_items i JOIN grants g ON g.id = i.grant_id JOIN identities p ON p.id = i.subject_id
             WHERE i.campaign_id = ${campaignId}`,
        {
          rec: col.text,
          status: col.text,
          privileged: col.bool,
          last_used_at: col.textOrNull,
          granted_at: col.text,
          holding: col.num,
          team: col.num,
        },
      );
      const stale = TEST_NOW.getTime() - UNUSED_DAYS * DAY;
      const expected = (f: (typeof facts)[number]) => {
        const activity = Date.parse(f.last_used_at ?? f.granted_at);
        if (f.status === "leaver") return "revoke";
        if (f.privileged && !f.last_used_at) return "revoke";
        if (activity < stale) return "revoke";
        if (f.team >= MIN_PEER_GROUP && f.holding / Math.max(f.team, 1) < FEW_PEERS_SHARE) return "look_closely";
        return "keep";
      };
      const mismatches = facts.filter((f) => f.rec !== expected(f));
      expect(mismatches).toEqual([]);
      expect(new Set(facts.map((f) => f.rec))).toEqual(new Set(["keep", "revoke", "look_closely"]));
    });
  });

  it("refuses a scope with nothing to review, and a fallback reviewer who cannot review", async () => {
    await rollback(async (db) => {
      const [unused] = await rowsOf(
        db,
        sql`SELECT e.id FROM entitlements e WHERE NOT EXISTS (SELECT 1 FROM grants g WHERE g.entitlement_id = e.id AND g.revoked_at IS NULL) LIMIT 1`,
        { id: col.num },
      );
      await expect(launch(db, { scope: { entitlementIds: [Number(unused.id)] } })).rejects.toThrow(/nothing to review/);
      const elena = await identityIdByName(db, "Elena Rossi"); // an executive: no review permission
      await expect(launch(db, { fallbackReviewerId: elena })).rejects.toThrow(Invalid);
      const [{ n }] = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM review_campaigns WHERE name = 'Test access review'`,
        { n: col.num },
      );
      expect(n).toBe(0);
    });
  });
});

describe("deciding", () => {
  it("lets a reviewer decide only their own items; a privileged keep or a kept revoke needs a justification", async () => {
    await rollback(async (db) => {
      const { items } = await launch(db);
      const priv = items.find((i) => i.privileged && i.reviewer_relation === "manager")!;
      const reviewer = await reviewerOf(db, priv.reviewer_id);
      await expect(decideItems(reviewer, { itemIds: [priv.id], decision: "keep" })).rejects.toThrow(/justification/);
      await decideItems(reviewer, {
        itemIds: [priv.id],
        decision: "keep",
        justification: "On call for the payments platform",
      });
      // Someone else's item is not found (ids cannot be probed).
      const other = items.find((i) => i.reviewer_id !== priv.reviewer_id)!;
      await expect(decideItems(reviewer, { itemIds: [other.id], decision: "revoke" })).rejects.toThrow(NotFound);
      // A decision can change until the campaign closes.
      await decideItems(reviewer, { itemIds: [priv.id], decision: "revoke" });
      const [after] = await rowsOf(
        db,
        sql`SELECT decision::text AS decision, decision_source::text AS source FROM review_items WHERE id = ${priv.id}`,
        { decision: col.text, source: col.text },
      );
      expect(after).toEqual({ decision: "revoke", source: "reviewer" });
    });
  });

  it("refuses to let anyone decide their own access", async () => {
    await rollback(async (db) => {
      const { items } = await launch(db);
      const it = items[0];
      await db.execute(sql`UPDATE review_items SET reviewer_id = subject_id WHERE id = ${it.id}`);
      const self = await reviewerOf(db, it.subject_id);
      await expect(decideItems(self, { itemIds: [it.id], decision: "keep", justification: "mine" })).rejects.toThrow(
        Forbidden,
      );
    });
  });

  it("refuses a bulk keep that includes privileged items or items recommended for revoke; a plain bulk keep is recorded as bulk", async () => {
    await rollback(async (db) => {
      const { items } = await launch(db, { scope: {} });
      const byReviewer = new Map<number, Item[]>();
      for (const i of items) byReviewer.set(i.reviewer_id, [...(byReviewer.get(i.reviewer_id) ?? []), i]);
      const [reviewerId, mine] = [...byReviewer].find(
        ([, l]) =>
          l.some((i) => i.privileged) && l.filter((i) => !i.privileged && i.recommendation === "keep").length >= 2,
      )!;
      const reviewer = await reviewerOf(db, reviewerId);
      await expect(decideItems(reviewer, { itemIds: mine.map((i) => i.id), decision: "keep" })).rejects.toThrow(
        /bulk keep cannot include \d+ privileged/,
      );
      const plain = mine.filter((i) => !i.privileged && i.recommendation === "keep").map((i) => i.id);
      expect(await decideItems(reviewer, { itemIds: plain, decision: "keep" })).toEqual({
        decided: plain.length,
        movedToNextStage: 0,
      });
      const sources = await rowsOf(
        db,
        sql`SELECT DISTINCT decision_source::text AS source FROM review_items WHERE id = ANY(${sql.param(plain)}::int8[])`,
        { source: col.text },
      );
      expect(sources).toEqual([{ source: "bulk" }]);
    });
  });

  it("sends a don't-know of the first of two stages to the system's owner; delegates to another reviewer, audited", async () => {
    await rollback(async (db) => {
      const { items } = await launch(db, { stages: 2 });
      const [withOwner] = await rowsOf(
        db,
        sql`SELECT i.id::int AS id, i.reviewer_id, s.owner_id FROM review_items i
              JOIN systems s ON s.id = (i.snapshot->>'systemId')::int
              JOIN identities o ON o.id = s.owner_id AND o.status = 'active'
             WHERE i.id = ANY(${sql.param(items.map((i) => i.id))}::int8[]) AND s.owner_id <> i.subject_id AND s.owner_id <> i.reviewer_id
             LIMIT 1`,
        { id: col.num, reviewer_id: col.num, owner_id: col.num },
      );
      const reviewer = await reviewerOf(db, withOwner.reviewer_id);
      expect(await decideItems(reviewer, { itemIds: [withOwner.id], decision: "dont_know" })).toEqual({
        decided: 0,
        movedToNextStage: 1,
      });
      const [moved] = await rowsOf(
        db,
        sql`SELECT reviewer_id, stage, reviewer_relation::text AS relation, decision::text AS decision FROM review_items WHERE id = ${withOwner.id}`,
        { reviewer_id: col.num, stage: col.num, relation: col.text, decision: col.textOrNull },
      );
      expect(moved).toEqual({ reviewer_id: withOwner.owner_id, stage: 2, relation: "system_owner", decision: null });

      const another = items.find((i) => i.id !== withOwner.id && i.reviewer_relation === "manager")!;
      const from = await reviewerOf(db, another.reviewer_id);
      const jordan = await identityIdByName(db, "Jordan Okafor");
      await delegateItems(from, { itemIds: [another.id], toId: jordan });
      const [d] = await rowsOf(
        db,
        sql`SELECT reviewer_id, reviewer_relation::text AS relation FROM review_items WHERE id = ${another.id}`,
        { reviewer_id: col.num, relation: col.text },
      );
      expect(d).toEqual({ reviewer_id: jordan, relation: "delegate" });
      await expect(delegateItems(from, { itemIds: [another.id], toId: jordan })).rejects.toThrow(NotFound);
    });
  });

  it("shows a reviewer's inbox in keyset pages, grouped by person", async () => {
    await rollback(async (db) => {
      const { items } = await launch(db, { scope: {} });
      const counts = new Map<number, number>();
      for (const i of items) counts.set(i.reviewer_id, (counts.get(i.reviewer_id) ?? 0) + 1);
      const [busiest] = [...counts].sort((a, b) => b[1] - a[1]);
      const reviewer = await reviewerOf(db, busiest[0]);
      const seen: number[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await reviewInbox(reviewer, { show: "open", limit: 7, after });
        seen.push(...page.items.map((i) => i.id));
        if (!page.next) break;
        after = page.next;
      }
      const mine = await rowsOf(
        db,
        sql`SELECT i.id::int AS id FROM review_items i JOIN review_campaigns c ON c.id = i.campaign_id AND c.status = 'active'
             WHERE i.reviewer_id = ${busiest[0]} AND (i.decision IS NULL OR i.decision = 'dont_know') ORDER BY i.campaign_id, i.subject_id, i.id`,
        { id: col.num },
      );
      expect(seen).toEqual(mine.map((m) => Number(m.id)));
    });
  });
});

describe("closing", () => {
  it("applies the no-response policy (privileged never silently), remediates every revoke through the engine, and stamps the evidence", async () => {
    await rollback(async (db) => {
      const { analyst, campaignId, items } = await launch(db, { scope: {}, noResponsePolicy: "keep" });
      const plain = items.find((i) => !i.privileged && i.reviewer_relation === "manager")!;
      const reviewer = await reviewerOf(db, plain.reviewer_id);
      await decideItems(reviewer, { itemIds: [plain.id], decision: "revoke" });
      const undecidedPrivileged = items.filter((i) => i.privileged && i.id !== plain.id);
      // Before its due date, closing cuts reviewers off: only with a fresh passkey step-up.
      await expect(closeCampaign(analyst, { campaignId })).rejects.toThrow(StepUpRequired);
      const result = await closeCampaign(steppedUp(analyst), { campaignId });
      expect(result.noResponse).toBe(items.length - 1);

      const after = await rowsOf(
        db,
        sql`SELECT id::int AS id, decision::text AS decision, decision_source::text AS source, rollback_until, justification
              FROM review_items WHERE campaign_id = ${campaignId}`,
        {
          id: col.num,
          decision: col.text,
          source: col.text,
          rollback_until: col.textOrNull,
          justification: col.textOrNull,
        },
      );
      const byId = new Map(after.map((a) => [a.id, a]));
      for (const p of undecidedPrivileged) {
        expect(byId.get(p.id)).toMatchObject({ decision: "revoke", source: "policy" });
        expect(byId.get(p.id)!.rollback_until).not.toBeNull();
      }
      const keptSilently = after.filter((a) => a.source === "policy" && a.decision === "keep");
      expect(keptSilently.length).toBeGreaterThan(0);
      expect(keptSilently[0].justification).toMatch(/^Not reviewed/);

      // Every revoke is a remediation task with its item as origin, queued for the connector.
      const tasks = await rowsOf(
        db,
        sql`SELECT t.origin_id::int AS origin_id, t.action::text AS action, t.state::text AS state FROM remediation_tasks t
              JOIN review_items i ON i.id = t.origin_id WHERE t.origin = 'review_item' AND i.campaign_id = ${campaignId}`,
        { origin_id: col.num, action: col.text, state: col.text },
      );
      expect(tasks.map((t) => t.origin_id).sort()).toEqual(
        after
          .filter((a) => a.decision === "revoke")
          .map((a) => a.id)
          .sort(),
      );
      expect(new Set(tasks.map((t) => t.action))).toEqual(new Set(["remove_grant"]));
      await testRunner(db, TEST_NOW).drain();
      const detail = await getCampaign(analyst, campaignId);
      expect(detail.remediation.total).toBe(tasks.length);
      expect(
        detail.remediation.done +
          detail.remediation.byState.filter((s) => s.mode !== "connector").reduce((a, s) => a + s.n, 0),
      ).toBeGreaterThanOrEqual(detail.remediation.total);
      const [grant] = await rowsOf(db, sql`SELECT revoked_at FROM grants WHERE id = ${plain.grant_id}`, {
        revoked_at: col.textOrNull,
      });
      expect(grant.revoked_at).not.toBeNull();

      // Stamped with the chain head: the close event itself.
      const [close] = await rowsOf(
        db,
        sql`SELECT id::int AS id, hash FROM audit_events WHERE action = 'review.campaign_close' AND target_id = ${String(campaignId)}`,
        { id: col.num, hash: col.text },
      );
      expect(detail.evidence).toMatchObject({ headId: close.id, headHash: close.hash });
      await expect(closeCampaign(steppedUp(analyst), { campaignId })).rejects.toThrow(Conflict);
      await expect(decideItems(reviewer, { itemIds: [plain.id], decision: "keep" })).rejects.toThrow(/closed/);

      // The report lists every item, with the reviewer's relation, what the policy did and the remediation.
      const lines = await reportLines(analyst, campaignId, 0, 100_000);
      expect(lines.length).toBe(items.length);
      const line = lines.find((l) => l.id === plain.id)!;
      expect(line).toMatchObject({ decision: "Revoke", relation: "Manager", task: { mode: expect.any(String) } });
      expect(lines.find((l) => l.source === "policy")).toBeDefined();
    });
  });

  it("lets the reviewer restore privileged access revoked for no response, within the rollback window, through the engine", async () => {
    await rollback(async (db) => {
      const { analyst, campaignId, items } = await launch(db);
      await closeCampaign(steppedUp(analyst), { campaignId });
      await testRunner(db, TEST_NOW).drain();
      const p = items.find((i) => i.privileged && i.reviewer_relation === "manager")!;
      const [before] = await rowsOf(
        db,
        sql`SELECT revoked_at, account_id, entitlement_id FROM grants WHERE id = ${p.grant_id}`,
        { revoked_at: col.textOrNull, account_id: col.num, entitlement_id: col.num },
      );
      const reviewer = await reviewerOf(db, p.reviewer_id);
      expect(before.revoked_at).not.toBeNull();
      // My reviews lists what this reviewer may restore, and only theirs: the campaign page is not a manager's.
      const mine = await myRestorableItems(reviewer);
      expect(mine.map((i) => i.id)).toContain(p.id);
      expect(mine.every((i) => i.reviewer_id === p.reviewer_id)).toBe(true);
      const someoneElse = items.find(
        (i) => i.privileged && i.reviewer_id !== p.reviewer_id && i.reviewer_relation === "manager",
      );
      if (someoneElse)
        expect((await myRestorableItems(await reviewerOf(db, someoneElse.reviewer_id))).map((i) => i.id)).not.toContain(
          p.id,
        );
      await expect(restorableItems(reviewer, campaignId)).rejects.toThrow(Forbidden);
      const { taskId } = await restoreItem(reviewer, {
        itemId: p.id,
        justification: "Needed for the quarter-end close, confirmed",
      });
      expect(taskId).not.toBeNull();
      expect((await myRestorableItems(reviewer)).map((i) => i.id)).not.toContain(p.id);
      await testRunner(db, TEST_NOW).drain();
      const [live] = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM grants WHERE account_id = ${before.account_id} AND entitlement_id = ${before.entitlement_id} AND revoked_at IS NULL`,
        { n: col.num },
      );
      expect(live.n).toBe(1);
      await expect(
        restoreItem(reviewer, { itemId: p.id, justification: "Needed again for the close" }),
      ).rejects.toThrow(/already/);
      // After the window it is too late.
      const late = await reviewerOf(db, p.reviewer_id);
      const other = items.find((i) => i.privileged && i.id !== p.id && i.reviewer_id === p.reviewer_id);
      if (other) {
        await expect(
          restoreItem(makeCtx(late.actor, db, new Date(TEST_NOW.getTime() + 8 * DAY)), {
            itemId: other.id,
            justification: "Needed for the quarter-end close",
          }),
        ).rejects.toThrow(/rollback window has passed/);
      }
    });
  });
});

describe("the screens' reads", () => {
  it("previews where items go (fallback, system owner) and says the selection in words, before launch", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const preview = await previewCampaign(analyst, {
        kind: "access",
        scope: { privilegedOnly: true },
        fallbackReviewerId: await identityIdByName(db, "Avery Chen"),
      });
      const { items } = await launch(db);
      expect(preview.items).toBe(items.length);
      expect(preview.toFallback).toBe(items.filter((i) => i.reviewer_relation === "fallback").length);
      expect(preview.toSystemOwner).toBe(items.filter((i) => i.reviewer_relation === "system_owner").length);
      expect(preview.definition).toMatch(/^Live grants of active people, privileged entitlements only;/);
    });
  });

  it("lists campaigns with reviewers still deciding and remediation, in keyset pages; reviewers aggregated in SQL", async () => {
    await rollback(async (db) => {
      const { analyst, campaignId, items } = await launch(db);
      const all: number[] = [];
      let page = await listCampaigns(analyst, { limit: 2 });
      for (;;) {
        all.push(...page.items.map((c) => c.id));
        if (!page.next) break;
        page = await listCampaigns(analyst, { limit: 2, after: page.next });
      }
      const [{ n }] = await rowsOf(db, sql`SELECT count(*)::int AS n FROM review_campaigns`, { n: col.int });
      expect(new Set(all).size).toBe(n);
      const mine = (await listCampaigns(analyst, { limit: 100, status: "active" })).items.find(
        (c) => c.id === campaignId,
      )!;
      const reviewerIds = new Set(items.map((i) => i.reviewer_id));
      expect(mine).toMatchObject({ items: items.length, decided: 0, reviewers: reviewerIds.size, overdueReviewers: 0 });
      expect(mine.reviewersWaiting).toBe(reviewerIds.size);

      const reviewers = await campaignReviewers(analyst, campaignId, { limit: 500 });
      expect(reviewers.items.reduce((a, r) => a + r.items, 0)).toBe(items.length);
      expect(reviewers.items.map((r) => r.open)).toEqual([...reviewers.items.map((r) => r.open)].sort((a, b) => b - a));
      const first = await campaignReviewers(analyst, campaignId, { limit: 1 });
      const second = await campaignReviewers(analyst, campaignId, { limit: 1, after: first.next! });
      expect(second.items[0].id).toBe(reviewers.items[1].id);
    });
  });

  it("lets whoever runs campaigns restore another reviewer's item — never their own access", async () => {
    await rollback(async (db) => {
      const { analyst, campaignId } = await launch(db);
      await closeCampaign(steppedUp(analyst), { campaignId });
      await testRunner(db, TEST_NOW).drain();
      const restorable = await restorableItems(analyst, campaignId);
      expect(restorable.length).toBeGreaterThan(0);
      const p = restorable.find((i) => i.subject_id !== analyst.actor.id && i.reviewer_id !== analyst.actor.id)!;
      const { taskId } = await restoreItem(analyst, {
        itemId: p.id,
        justification: "On call for the quarter-end close",
      });
      expect(taskId).not.toBeNull();
      expect((await restorableItems(analyst, campaignId)).map((i) => i.id)).not.toContain(p.id);
      const tasks = await campaignTasks(analyst, campaignId, { limit: 500 });
      expect(tasks.items.some((t) => t.id === taskId && t.action === "add_grant")).toBe(true);
      const open = await campaignTasks(analyst, campaignId, { limit: 500, unfinished: true });
      expect(open.items.every((t) => t.state !== "verified" && t.state !== "waived")).toBe(true);

      // Avery's own privileged access, revoked by the policy: she may not restore it herself.
      const own = await rowsOf(
        db,
        sql`SELECT id::int AS id FROM review_items WHERE campaign_id = ${campaignId} AND subject_id = ${analyst.actor.id}
              AND decision_source = 'policy' AND decision = 'revoke' LIMIT 1`,
        { id: col.int },
      );
      if (own[0]) {
        await expect(
          restoreItem(analyst, { itemId: own[0].id, justification: "I still need it for the close" }),
        ).rejects.toThrow(Forbidden);
      }
    });
  });
});

describe("enforcement", () => {
  it("reminds at the cadence, escalates undecided privileged items once due, and nudges on demand", async () => {
    await rollback(async (db) => {
      const { analyst, campaignId, items } = await launch(db, { dueAt: due(5), reminderEveryDays: 2 });
      const clock = testRunner(db, TEST_NOW);
      const run = async () => {
        await db.execute(
          sql`INSERT INTO local_jobs (name, payload, run_at) VALUES (${ENFORCE_JOB}, '{}', ${clock.now().toISOString()}::timestamptz)`,
        );
        await clock.drain();
      };
      await run();
      const reminders = async () =>
        (
          await rowsOf(
            db,
            sql`SELECT count(*)::int AS n FROM review_items WHERE campaign_id = ${campaignId} AND reminders > 0`,
            { n: col.num },
          )
        )[0].n;
      expect(await reminders()).toBe(0);
      clock.advance(2 * DAY + 60_000);
      await run();
      expect(await reminders()).toBe(items.length);
      clock.advance(4 * DAY);
      await run();
      const escalated = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM review_items WHERE campaign_id = ${campaignId} AND reviewer_relation = 'escalation'`,
        { n: col.num },
      );
      expect(escalated[0].n).toBeGreaterThan(0);
      const [events] = await rowsOf(
        db,
        sql`SELECT count(*) FILTER (WHERE action = 'review.remind')::int AS remind, count(*) FILTER (WHERE action = 'review.escalate')::int AS escalate
              FROM audit_events WHERE target_type = 'review_campaign' AND target_id = ${String(campaignId)}`,
        { remind: col.num, escalate: col.num },
      );
      expect(events.remind).toBeGreaterThan(0);
      expect(events.escalate).toBeGreaterThan(0);
      const nudged = await nudgeReviewers(analyst, { campaignId });
      expect(nudged.items).toBeGreaterThan(0);
    });
  });
});
