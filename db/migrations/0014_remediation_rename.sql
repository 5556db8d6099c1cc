-- drizzle-kit 0.31 crashes on a table rename whose columns it also sees as altered, so the renames are written by
-- hand (snapshot edited to match): the task table and its drift checks now serve every origin (lib/remediation).
ALTER TABLE "revocation_tasks" RENAME TO "remediation_tasks";--> statement-breakpoint
ALTER TABLE "remediation_tasks" RENAME COLUMN "kind" TO "action";--> statement-breakpoint
ALTER TABLE "leaver_drift_checks" RENAME TO "remediation_drift_checks";