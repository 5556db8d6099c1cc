import { AUDIT_JOBS, AUDIT_SCHEDULES } from "@/lib/audit/jobs";
import { BREAK_GLASS_JOBS, BREAK_GLASS_SCHEDULES } from "@/lib/break-glass/jobs";
import { DISPATCH_SCHEDULE, dispatchHandler, type OutboxConsumer } from "@/lib/events/dispatch";
import { DISPATCH_JOB } from "@/lib/events/outbox";
import { FACTOR_JOBS, FACTOR_SCHEDULES } from "@/lib/factors/jobs";
import { reopenCaseOnDrift } from "@/lib/leavers/drift";
import { RECONCILIATION_JOBS, RECONCILIATION_SCHEDULES } from "@/lib/reconciliation/jobs";
import { REMEDIATION_SCHEDULES, remediationJobs } from "@/lib/remediation/jobs";
import { REVIEW_JOBS, REVIEW_SCHEDULES } from "@/lib/reviews/jobs";
import type { JobHandlers, Schedule } from "./types";

/** Who delivers outbox events: Shared Signals and notifications add themselves here. */
const OUTBOX_CONSUMERS: OutboxConsumer[] = [];

/** The composition root of background work: every pillar's handlers and schedules, with their hooks wired. */
export const JOB_HANDLERS: JobHandlers = {
  ...remediationJobs({ leaver_case: reopenCaseOnDrift }),
  ...FACTOR_JOBS,
  ...REVIEW_JOBS,
  ...BREAK_GLASS_JOBS,
  ...RECONCILIATION_JOBS,
  ...AUDIT_JOBS,
  [DISPATCH_JOB]: dispatchHandler(OUTBOX_CONSUMERS),
};
export const JOB_SCHEDULES: Schedule[] = [
  ...REMEDIATION_SCHEDULES,
  ...FACTOR_SCHEDULES,
  ...REVIEW_SCHEDULES,
  ...BREAK_GLASS_SCHEDULES,
  ...RECONCILIATION_SCHEDULES,
  ...AUDIT_SCHEDULES,
  DISPATCH_SCHEDULE,
];
