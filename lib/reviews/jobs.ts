import "server-only";
import { and, eq, lte } from "drizzle-orm";
import { reviewCampaigns, reviewSchedules } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { type Actor, SYSTEM_ACTOR } from "@/lib/authz";
import { makeCtx, transact } from "@/lib/context";
import type { JobHandlers, JobHelpers, Schedule } from "@/lib/jobs/types";
import { closeCampaign } from "./commands/close";
import { escalateOverdue, remindReviewers } from "./enforce.internal";
import { generateItems } from "./generate.internal";
import { nextRunAfter } from "./rules";

export const ENFORCE_JOB = "review.enforce";
export const SCHEDULES_JOB = "review.schedules";
/** A campaign still open this long after its due date is closed by the system (its no-response policy applies). */
export const AUTO_CLOSE_AFTER_DAYS = 7;

const REVIEWS: Actor = { ...SYSTEM_ACTOR, name: "review campaigns" };

/** Reminders at each campaign's cadence, escalation once due, and closing what stayed open past the grace period. */
async function enforce(_payload: Record<string, unknown>, h: JobHelpers): Promise<void> {
  const now = h.now();
  const ctx = makeCtx(REVIEWS, h.db, now);
  const reminded = await transact(ctx, (tx) => remindReviewers(tx));
  const escalated = await transact(ctx, (tx) => escalateOverdue(tx));
  const overdue = await h.db
    .select({ id: reviewCampaigns.id })
    .from(reviewCampaigns)
    .where(
      and(
        eq(reviewCampaigns.status, "active"),
        lte(reviewCampaigns.dueAt, new Date(now.getTime() - AUTO_CLOSE_AFTER_DAYS * 86_400_000)),
      ),
    );
  for (const c of overdue) await closeCampaign(ctx, { campaignId: c.id });
  h.log(
    `reviews: ${reminded.items} items reminded, ${escalated.escalated} escalated, ${overdue.length} campaigns closed`,
  );
}

/** Launches every due recurring campaign, each in its own audited transaction, and moves its schedule on. */
async function runSchedules(_payload: Record<string, unknown>, h: JobHelpers): Promise<void> {
  const now = h.now();
  const due = await h.db
    .select()
    .from(reviewSchedules)
    .where(and(eq(reviewSchedules.enabled, true), lte(reviewSchedules.nextRunAt, now)));
  for (const s of due) {
    await transact(makeCtx(REVIEWS, h.db, now), async (tx) => {
      const dueAt = new Date(now.getTime() + s.durationDays * 86_400_000);
      const name = `${s.name} — ${now.toISOString().slice(0, 10)}`;
      const [c] = await tx.db
        .insert(reviewCampaigns)
        .values({
          name,
          kind: s.kind,
          scope: s.scope,
          status: "active",
          noResponsePolicy: s.noResponsePolicy,
          stages: s.stages,
          fallbackReviewerId: s.fallbackReviewerId,
          reminderEveryDays: s.reminderEveryDays,
          rollbackDays: s.rollbackDays,
          scheduleId: s.id,
          startsAt: now,
          dueAt,
          createdAt: now,
        })
        .returning({ id: reviewCampaigns.id });
      const population = s.fallbackReviewerId
        ? await generateItems(tx, { id: c.id, kind: s.kind, scope: s.scope, fallbackReviewerId: s.fallbackReviewerId })
        : null;
      await tx.db
        .update(reviewSchedules)
        .set({ lastRunAt: now, nextRunAt: nextRunAfter(s.cadence, s.nextRunAt) })
        .where(eq(reviewSchedules.id, s.id));
      await tx.db
        .update(reviewCampaigns)
        .set(population?.items ? { population } : { population, status: "closed", closedAt: now })
        .where(eq(reviewCampaigns.id, c.id));
      await writeAudit(tx, {
        action: "review.campaign_create",
        target: { type: "review_campaign", id: c.id, label: name },
        after: {
          scheduleId: s.id,
          cadence: s.cadence,
          dueAt: dueAt.toISOString(),
          ...(population ?? {}),
          ...(population?.items ? {} : { closed: "nothing to review" }),
        },
      });
    });
  }
  if (due.length) h.log(`reviews: ${due.length} scheduled campaigns launched`);
}

export const REVIEW_JOBS: JobHandlers = { [ENFORCE_JOB]: enforce, [SCHEDULES_JOB]: runSchedules };
export const REVIEW_SCHEDULES: Schedule[] = [
  { name: ENFORCE_JOB, cron: "5 * * * *" },
  { name: SCHEDULES_JOB, cron: "10 * * * *" },
];
