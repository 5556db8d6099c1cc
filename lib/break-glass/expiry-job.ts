import type { JobSpec } from "@/lib/jobs/types";

export const EXPIRE_JOB = "break_glass.expire";

/** The expiry run for one request, queued at activation for its expiry time (the sweep is the backstop). */
export const expiryJob = (requestId: number, at: Date): JobSpec => ({
  name: EXPIRE_JOB,
  payload: { requestId },
  runAt: at,
  key: `break_glass:${requestId}`,
});
