import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { writeAuditMany } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import { reviewerIn } from "@/lib/people/eligible";

/**
 * Graduated enforcement, unguarded (the hourly job acts as the system; "Nudge" on the campaign page authorizes
 * first): reminders at the campaign's cadence, then escalation to the reviewer's manager once the campaign is due.
 * Each is recorded per reviewer and campaign in the audit log and the outbox, where notifications pick it up.
 */

/** Reminds reviewers of their undecided items: those due a reminder by the cadence, or all of them (`force`). */
export async function remindReviewers(tx: Ctx, opts: { campaignId?: number; force?: boolean } = {}) {
  const now = tx.now.toISOString();
  const due = opts.force
    ? sql`true`
    : sql`coalesce(i.reminded_at, i.assigned_at, c.starts_at) <= ${now}::timestamptz - make_interval(days => c.reminder_every_days)`;
  const rows = await queryRows(
    tx.db,
    sql`
    UPDATE review_items i SET reminded_at = ${now}::timestamptz, reminders = i.reminders + 1
      FROM review_campaigns c
     WHERE c.id = i.campaign_id AND c.status = 'active' AND c.starts_at <= ${now}::timestamptz
       AND (i.decision IS NULL OR i.decision = 'dont_know')
       AND (${opts.campaignId ?? null}::int IS NULL OR c.id = ${opts.campaignId ?? null}::int) AND ${due}
    RETURNING i.campaign_id, i.reviewer_id, c.name, c.due_at`,
    z.object({ campaign_id: col.int, reviewer_id: col.int, name: col.text, due_at: col.date }),
  );
  const groups = new Map<
    string,
    { campaignId: number; reviewerId: number; name: string; dueAt: Date; items: number }
  >();
  for (const r of rows) {
    const key = `${r.campaign_id}:${r.reviewer_id}`;
    const g = groups.get(key) ?? {
      campaignId: r.campaign_id,
      reviewerId: r.reviewer_id,
      name: r.name,
      dueAt: r.due_at,
      items: 0,
    };
    g.items++;
    groups.set(key, g);
  }
  await writeAuditMany(
    tx,
    [...groups.values()].map((g) => ({
      action: "review.remind" as const,
      target: { type: "review_campaign", id: g.campaignId, label: g.name },
      after: { reviewerId: g.reviewerId, items: g.items, dueAt: g.dueAt.toISOString(), forced: Boolean(opts.force) },
    })),
  );
  return { reviewers: groups.size, items: rows.length };
}

/**
 * Once a campaign is due, what is still undecided goes up one level — to the reviewer's manager — when the
 * campaign's policy is to escalate, and always for privileged items (they never stay silently). Once per item.
 */
export async function escalateOverdue(tx: Ctx) {
  const now = tx.now.toISOString();
  const rows = await queryRows(
    tx.db,
    sql`
    UPDATE review_items i SET reviewer_id = x.manager_id, reviewer_relation = 'escalation', escalated_at = ${now}::timestamptz,
           assigned_at = ${now}::timestamptz, decision = NULL, decision_source = NULL
      FROM (SELECT i2.id, i2.reviewer_id AS from_id, m.id AS manager_id, c.id AS campaign_id, c.name
              FROM review_items i2
              JOIN review_campaigns c ON c.id = i2.campaign_id AND c.status = 'active' AND c.due_at <= ${now}::timestamptz
              JOIN identities r ON r.id = i2.reviewer_id
              JOIN identities m ON m.id = r.manager_id AND ${reviewerIn("m")} AND m.id <> i2.subject_id
             WHERE (i2.decision IS NULL OR i2.decision = 'dont_know') AND i2.escalated_at IS NULL
               AND (c.no_response_policy = 'escalate' OR i2.privileged)) x
     WHERE i.id = x.id
    RETURNING x.campaign_id, x.name, x.from_id, x.manager_id`,
    z.object({ campaign_id: col.int, name: col.text, from_id: col.int, manager_id: col.int }),
  );
  const groups = new Map<string, { campaignId: number; name: string; from: number; to: number; items: number }>();
  for (const r of rows) {
    const key = `${r.campaign_id}:${r.from_id}:${r.manager_id}`;
    const g = groups.get(key) ?? {
      campaignId: r.campaign_id,
      name: r.name,
      from: r.from_id,
      to: r.manager_id,
      items: 0,
    };
    g.items++;
    groups.set(key, g);
  }
  await writeAuditMany(
    tx,
    [...groups.values()].map((g) => ({
      action: "review.escalate" as const,
      target: { type: "review_campaign", id: g.campaignId, label: g.name },
      before: { reviewerId: g.from },
      after: { reviewerId: g.to, items: g.items },
    })),
  );
  return { escalated: rows.length };
}
