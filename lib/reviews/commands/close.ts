import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { auditEvents, reviewCampaigns } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize, requireAssurance, STEP_UP } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, NotFound } from "@/lib/errors";
import { queueTasks, requestRemediation } from "@/lib/remediation/internal";
import { remediationItemsSql } from "../population";

/**
 * Closes a campaign, in one transaction:
 *  1. what nobody decided follows the no-response policy — kept and recorded "not reviewed", revoked, or (escalate)
 *     recorded as not reviewed after its escalation; privileged access never stays silently: undecided privileged
 *     items are revoked, and their reviewer may restore them within the rollback window;
 *  2. every revoke and reduce becomes a remediation task with its item as origin (remove the grant, revoke the
 *     credential, reduce its scopes at the issuer), queued for the connectors, verified by re-reading the target;
 *  3. the campaign is stamped with the audit chain's head (its own close event) for the evidence report.
 * The campaign is complete once every one of those tasks is verified. Closing before the due date cuts reviewers
 * off, so a person doing it needs a fresh passkey step-up (the auto-close job at the due date does not).
 */
export async function closeCampaign(ctx: Ctx, input: { campaignId: number }) {
  authorize(ctx.actor, "reviews.manage");
  return transact(ctx, async (tx) => {
    const [c] = await tx.db
      .select()
      .from(reviewCampaigns)
      .where(eq(reviewCampaigns.id, input.campaignId))
      .for("update");
    if (!c) throw new NotFound("That campaign");
    if (c.status !== "active")
      throw new Conflict(`The campaign is ${c.status}: only an active campaign can be closed.`);
    if (c.dueAt.getTime() > tx.now.getTime()) requireAssurance(tx, STEP_UP);
    const now = tx.now.toISOString();
    const rollbackUntil = new Date(tx.now.getTime() + c.rollbackDays * 86_400_000).toISOString();
    const reason: Record<typeof c.noResponsePolicy, string> = {
      keep: "Not reviewed: kept by the campaign's no-response policy",
      revoke: "Not reviewed: revoked by the campaign's no-response policy",
      escalate: "Not reviewed, even after escalation: kept and reported",
    };

    // 1. The no-response policy ("don't know" at the last stage counts as no answer).
    const policy = await queryRows(
      tx.db,
      sql`
      UPDATE review_items i
         SET decision = x.decision::review_decision, decision_source = 'policy', decided_at = ${now}::timestamptz,
             decided_by_id = NULL, justification = x.why,
             rollback_until = CASE WHEN x.decision = 'revoke' AND i.privileged AND i.grant_id IS NOT NULL THEN ${rollbackUntil}::timestamptz END
        FROM (SELECT id,
                     CASE WHEN privileged OR ${c.noResponsePolicy} = 'revoke' THEN 'revoke' ELSE 'keep' END AS decision,
                     CASE WHEN privileged AND ${c.noResponsePolicy} <> 'revoke'
                          THEN 'Not reviewed: privileged access does not stay silently; revoked (restorable for ' || ${c.rollbackDays} || ' days)'
                          ELSE ${reason[c.noResponsePolicy]} END AS why
                FROM review_items WHERE campaign_id = ${c.id} AND (decision IS NULL OR decision = 'dont_know')) x
       WHERE i.id = x.id
      RETURNING i.id, x.decision`,
      z.object({ id: col.int, decision: col.text }),
    );

    // 2. Remediation for every revoke and reduce, one task per item (the engine decides connector or manual).
    const tasks = await requestRemediation(tx, { origin: "review_item", items: { sql: remediationItemsSql(c.id) } });
    const queued = await queueTasks(tx, { origin: { type: "review_item", ids: tasks.map((t) => t.originId) } });

    // 3. Closed and stamped: the evidence names the chain head — the close event itself.
    const counts = await decisionCounts(tx, c.id);
    await tx.db
      .update(reviewCampaigns)
      .set({ status: "closed", closedAt: tx.now, closedById: tx.actor.id })
      .where(eq(reviewCampaigns.id, c.id));
    const early = c.dueAt.getTime() > tx.now.getTime();
    await writeAudit(tx, {
      action: "review.campaign_close",
      target: { type: "review_campaign", id: c.id, label: c.name },
      before: { status: "active" },
      after: {
        status: "closed",
        early,
        decisions: counts,
        noResponse: {
          policy: c.noResponsePolicy,
          kept: policy.filter((p) => p.decision === "keep").length,
          revoked: policy.filter((p) => p.decision === "revoke").length,
        },
        remediation: {
          tasks: tasks.length,
          manual: tasks.filter((t) => t.mode !== "connector").length,
          queued: queued.length,
        },
      },
    });
    const [head] = await tx.db
      .select({ id: auditEvents.id, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.id))
      .limit(1);
    await tx.db
      .update(reviewCampaigns)
      .set({ evidence: { headId: head.id, headHash: head.hash, closedAt: now } })
      .where(eq(reviewCampaigns.id, c.id));
    return { noResponse: policy.length, tasks: tasks.length, queued: queued.length, evidenceHash: head.hash };
  });
}

async function decisionCounts(tx: Ctx, campaignId: number) {
  const rows = await queryRows(
    tx.db,
    sql`SELECT decision::text AS decision, decision_source::text AS source, count(*)::int AS n
          FROM review_items WHERE campaign_id = ${campaignId} GROUP BY 1, 2 ORDER BY 1, 2`,
    z.object({ decision: col.textOrNull, source: col.textOrNull, n: col.int }),
  );
  return rows.map((r) => ({ decision: r.decision, source: r.source, n: r.n }));
}
