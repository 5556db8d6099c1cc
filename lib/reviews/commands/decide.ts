import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { reviewItems } from "@/db/schema";
import { campaignStatus, reviewDecision, reviewRecommendation } from "@/db/schema/enums";
import { bigintArray, textArray } from "@/db/sql";
import { writeAuditMany } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { reviewerIn } from "@/lib/people/eligible";
import { bulkRefusal, type Decision, justificationRequired } from "../rules";

const locked = z.object({
  id: col.int,
  campaign_id: col.int,
  campaign_status: z.enum(campaignStatus.enumValues),
  stages: col.int,
  stage: col.int,
  subject_id: col.int,
  credential_id: col.intOrNull,
  holder_id: col.intOrNull,
  system_owner: col.intOrNull,
  privileged: col.bool,
  recommendation: z.enum(reviewRecommendation.enumValues),
  decision: z.enum(reviewDecision.enumValues).nullable(),
  scopes: col.json(z.array(z.string()).nullable()),
  used_scopes: col.json(z.array(z.string()).nullable()),
  label: col.text,
});
export type LockedItem = z.output<typeof locked>;

/**
 * The actor's own items (as their current reviewer), locked for a decision; an item that is not theirs is NotFound,
 * so ids cannot be probed. Nobody decides their own access or a credential they hold.
 */
export async function lockOwnItems(tx: Ctx, itemIds: readonly number[]): Promise<LockedItem[]> {
  const rows = await queryRows(
    tx.db,
    sql`
    SELECT i.id, i.campaign_id, c.status::text AS campaign_status, c.stages, i.stage, i.subject_id, i.credential_id,
           cr.holder_id,
           CASE WHEN so.id IS NOT NULL AND so.id <> i.subject_id AND ${reviewerIn("so")} THEN so.id END AS system_owner,
           i.privileged, i.recommendation::text AS recommendation, i.decision::text AS decision,
           i.snapshot->'scopes' AS scopes, i.snapshot->'usedScopes' AS used_scopes,
           coalesce(i.snapshot->>'entitlement', i.snapshot->>'name', '') || ' · ' || p.display_name AS label
      FROM review_items i
      JOIN review_campaigns c ON c.id = i.campaign_id
      JOIN identities p ON p.id = i.subject_id
      LEFT JOIN credentials cr ON cr.id = i.credential_id
      LEFT JOIN systems sy ON sy.id = (i.snapshot->>'systemId')::int LEFT JOIN identities so ON so.id = sy.owner_id
     WHERE i.id = ANY(${bigintArray(itemIds)}) AND i.reviewer_id = ${tx.actor.id}
     ORDER BY i.id
       FOR UPDATE OF i`,
    locked,
  );
  if (rows.length !== new Set(itemIds).size)
    throw new NotFound(itemIds.length === 1 ? "That item" : "Some of those items");
  if (rows.some((r) => r.campaign_status !== "active"))
    throw new Conflict("The campaign is closed: decisions are final.");
  // The holder is read now, not from the launch snapshot: a credential handed to its reviewer since is theirs.
  if (rows.some((r) => r.subject_id === tx.actor.id || r.holder_id === tx.actor.id)) {
    throw new Forbidden("You cannot decide your own access or a credential you hold: it goes to another reviewer.");
  }
  return rows;
}

/**
 * Records a decision on one item or many (bulk). A decision can change until the campaign closes. Keeping
 * privileged access, or what was recommended for revoke, needs a justification — and so may not be done in bulk.
 * Reduce picks the scopes a credential keeps. "Don't know" in the first of two stages sends the item to the
 * system's owner.
 */
export async function decideItems(
  ctx: Ctx,
  input: { itemIds: number[]; decision: Decision; justification?: string; keepScopes?: string[] },
) {
  authorize(ctx.actor, "reviews.decide");
  const bulk = input.itemIds.length > 1;
  return transact(ctx, async (tx) => {
    const items = await lockOwnItems(tx, input.itemIds);
    if (bulk) {
      const refusal = bulkRefusal(items, input.decision);
      if (refusal) throw new Conflict(refusal);
      if (input.decision === "reduce")
        throw new Invalid("Reduce is decided one credential at a time (choose its scopes).");
    } else {
      const need = justificationRequired(items[0], input.decision);
      if (need && !input.justification?.trim()) throw new Invalid(need, { justification: [need] });
    }
    const kept = input.decision === "reduce" ? keptScopes(items[0], input.keepScopes) : null;
    const nextStage =
      input.decision === "dont_know"
        ? items.filter((i) => i.stages === 2 && i.stage === 1 && i.system_owner && i.system_owner !== tx.actor.id)
        : [];
    const moving = new Set(nextStage.map((i) => i.id));
    const now = tx.now.toISOString();
    const decided = items.filter((i) => !moving.has(i.id));
    if (decided.length) {
      await tx.db.execute(sql`
        UPDATE review_items SET decision = ${input.decision}::review_decision,
               decision_source = ${bulk ? "bulk" : "reviewer"}::decision_source, justification = ${input.justification ?? null},
               kept_scopes = ${kept ? textArray(kept) : sql`NULL`}, decided_by_id = ${tx.actor.id}, decided_at = ${now}::timestamptz
         WHERE id = ANY(${bigintArray(decided.map((i) => i.id))})`);
    }
    for (const i of nextStage) {
      if (i.system_owner === null) continue; // (filtered above; narrows the type)
      await tx.db
        .update(reviewItems)
        .set({
          stage: 2,
          reviewerId: i.system_owner,
          reviewerRelation: "system_owner",
          assignedAt: tx.now,
          decision: null,
          decisionSource: null,
          decidedById: null,
          decidedAt: null,
        })
        .where(eq(reviewItems.id, i.id));
    }
    await writeAuditMany(
      tx,
      items.map((i) => ({
        action: "review.decide" as const,
        target: { type: "review_item", id: i.id, label: i.label },
        before: { decision: i.decision },
        after: moving.has(i.id)
          ? { decision: null, movedTo: "stage 2 (system owner)", reviewerId: i.system_owner }
          : { decision: input.decision, justification: input.justification ?? null, keptScopes: kept },
        metadata: { campaignId: i.campaign_id, bulk, recommendation: i.recommendation, privileged: i.privileged },
      })),
    );
    return { decided: decided.length, movedToNextStage: nextStage.length };
  });
}

/** Reduce: the scopes kept must be a smaller, non-empty part of what the credential held at launch. */
function keptScopes(item: LockedItem, keep: string[] | undefined): string[] {
  if (item.credential_id === null)
    throw new Invalid("Only a credential's scopes can be reduced; revoke or keep access.");
  const held = item.scopes ?? [];
  const wanted = keep?.length ? [...new Set(keep)] : (item.used_scopes ?? []);
  const unknown = wanted.filter((s) => !held.includes(s));
  if (unknown.length) throw new Invalid(`It does not hold ${unknown.join(", ")}.`, { keepScopes: ["Not held"] });
  if (wanted.length === 0) throw new Invalid("Keep at least one scope, or revoke it.", { keepScopes: ["Keep one"] });
  if (wanted.length >= held.length)
    throw new Invalid("Choose at least one scope to drop.", { keepScopes: ["Drop one"] });
  return wanted;
}
