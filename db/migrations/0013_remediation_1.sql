ALTER TYPE "public"."revocation_task_kind" RENAME TO "remediation_action";--> statement-breakpoint
ALTER TYPE "public"."revocation_task_state" RENAME TO "remediation_state";