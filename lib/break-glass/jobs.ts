import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { breakGlassRequests } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { type Actor, SYSTEM_ACTOR } from "@/lib/authz";
import { makeCtx, transact } from "@/lib/context";
import type { JobHandlers, JobHelpers, Schedule } from "@/lib/jobs/types";
import { endGrants } from "./activate.internal";
import { EXPIRE_JOB } from "./expiry-job";
import { lockRequest, requestLabel } from "./load";

const BREAK_GLASS: Actor = { ...SYSTEM_ACTOR, name: "break-glass expiry" };

/**
 * Time-boxing, by itself: pending requests past their approval window lapse; active break-glass past its expiry
 * ends — the emergency grant is removed at the system through the remediation engine (and verified there), unused
 * passes are voided. Each request in its own audited transaction, re-checked under its row lock.
 */
async function expire(payload: Record<string, unknown>, h: JobHelpers): Promise<void> {
  const now = h.now();
  const only = typeof payload.requestId === "number" ? [payload.requestId] : null;
  const due = await h.db
    .select({ id: breakGlassRequests.id })
    .from(breakGlassRequests)
    .where(
      and(
        only ? inArray(breakGlassRequests.id, only) : undefined,
        inArray(breakGlassRequests.status, ["pending", "active"]),
      ),
    );
  let ended = 0;
  for (const { id } of due) {
    const done = await transact(makeCtx(BREAK_GLASS, h.db, now), async (tx) => {
      const r = await lockRequest(tx, id);
      const { status, requestExpiresAt, expiresAt } = r.request;
      const lapsed = status === "pending" && requestExpiresAt.getTime() <= now.getTime();
      const over = status === "active" && expiresAt !== null && expiresAt.getTime() <= now.getTime();
      if (!lapsed && !over) return false;
      const effects = over ? await endGrants(tx, r) : null;
      await tx.db
        .update(breakGlassRequests)
        .set({ status: "expired", endedAt: now, endReason: lapsed ? "Not approved in time" : "Time box ended" })
        .where(eq(breakGlassRequests.id, id));
      await writeAudit(tx, {
        action: "break_glass.expire",
        target: { type: "break_glass_request", id, label: requestLabel(r) },
        before: { status },
        after: { status: "expired", lapsed, ...(effects ?? {}) },
      });
      return true;
    });
    if (done) ended++;
  }
  if (ended) h.log(`break-glass: ${ended} requests expired`);
}

export const BREAK_GLASS_JOBS: JobHandlers = { [EXPIRE_JOB]: expire };
export const BREAK_GLASS_SCHEDULES: Schedule[] = [{ name: EXPIRE_JOB, cron: "* * * * *" }];
