CREATE TABLE "kpi_snapshots" (
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "kpi_snapshots_metric_day_pk" PRIMARY KEY("metric","day")
);
--> statement-breakpoint
-- (moved by hand: the column must exist before the primary key that names it)
ALTER TABLE "posture_snapshots" ADD COLUMN "phishing_resistant" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "posture_snapshots" DROP CONSTRAINT "posture_snapshots_day_department_id_primary_strength_effective_strength_privileged_pk";--> statement-breakpoint
ALTER TABLE "posture_snapshots" ADD CONSTRAINT "posture_snapshots_day_department_id_primary_strength_effective_strength_privileged_phishing_resistant_pk" PRIMARY KEY("day","department_id","primary_strength","effective_strength","privileged","phishing_resistant");--> statement-breakpoint
ALTER TABLE "identity_posture" ADD COLUMN "privileged_system_ids" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "identity_posture" ADD COLUMN "next_change_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "identity_posture_next_change_idx" ON "identity_posture" USING btree ("next_change_at") WHERE "identity_posture"."next_change_at" IS NOT NULL;