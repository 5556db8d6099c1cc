import "server-only";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { reviewSchedules } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Invalid, NotFound } from "@/lib/errors";
import { loadEligiblePerson, REVIEWER_ROLES } from "@/lib/people/eligible";
import type { scheduleInput } from "../schemas";

/** A recurring campaign (e.g. privileged access quarterly): the schedule job launches each run by itself. */
export async function createSchedule(ctx: Ctx, input: z.output<typeof scheduleInput>) {
  authorize(ctx.actor, "reviews.manage");
  if (input.firstRunAt.getTime() < ctx.now.getTime() - 60_000) {
    throw new Invalid("The first run cannot be in the past.", { firstRunAt: ["In the past"] });
  }
  return transact(ctx, async (tx) => {
    if (!(await loadEligiblePerson(tx.db, input.fallbackReviewerId, { roles: REVIEWER_ROLES }))) {
      throw new Invalid("The fallback reviewer must be an active person who can decide reviews.");
    }
    const [row] = await tx.db
      .insert(reviewSchedules)
      .values({
        name: input.name,
        kind: input.kind,
        scope: input.scope,
        cadence: input.cadence,
        durationDays: input.durationDays,
        noResponsePolicy: input.noResponsePolicy,
        stages: input.stages,
        fallbackReviewerId: input.fallbackReviewerId,
        reminderEveryDays: input.reminderEveryDays,
        rollbackDays: input.rollbackDays,
        nextRunAt: input.firstRunAt,
        createdById: tx.actor.id,
        createdAt: tx.now,
      })
      .returning({ id: reviewSchedules.id });
    await writeAudit(tx, {
      action: "review.schedule_create",
      target: { type: "review_schedule", id: row.id, label: input.name },
      after: {
        cadence: input.cadence,
        kind: input.kind,
        scope: input.scope,
        firstRunAt: input.firstRunAt.toISOString(),
      },
    });
    return { scheduleId: row.id };
  });
}

/** Turns a schedule on or off. */
export async function setScheduleEnabled(ctx: Ctx, input: { scheduleId: number; enabled: boolean }) {
  authorize(ctx.actor, "reviews.manage");
  return transact(ctx, async (tx) => {
    const [s] = await tx.db
      .update(reviewSchedules)
      .set({ enabled: input.enabled })
      .where(eq(reviewSchedules.id, input.scheduleId))
      .returning({ id: reviewSchedules.id, name: reviewSchedules.name });
    if (!s) throw new NotFound("That schedule");
    await writeAudit(tx, {
      action: "review.schedule_update",
      target: { type: "review_schedule", id: s.id, label: s.name },
      after: { enabled: input.enabled },
    });
    return { enabled: input.enabled };
  });
}
