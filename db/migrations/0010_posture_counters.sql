CREATE TABLE "identity_posture_counts" (
	"department_id" integer NOT NULL,
	"primary_strength" smallint NOT NULL,
	"effective_strength" smallint NOT NULL,
	"privileged" boolean NOT NULL,
	"phishing_resistant" boolean NOT NULL,
	"people" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "identity_posture_counts_department_id_primary_strength_effective_strength_privileged_phishing_resistant_pk" PRIMARY KEY("department_id","primary_strength","effective_strength","privileged","phishing_resistant")
);
--> statement-breakpoint
CREATE TABLE "identity_posture_system_counts" (
	"system_id" integer NOT NULL,
	"primary_strength" smallint NOT NULL,
	"effective_strength" smallint NOT NULL,
	"accounts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "identity_posture_system_counts_system_id_primary_strength_effective_strength_pk" PRIMARY KEY("system_id","primary_strength","effective_strength")
);
--> statement-breakpoint
CREATE TABLE "review_progress" (
	"campaign_id" integer PRIMARY KEY NOT NULL,
	"items" integer DEFAULT 0 NOT NULL,
	"decided" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_progress" ADD CONSTRAINT "review_progress_campaign_id_review_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."review_campaigns"("id") ON DELETE cascade ON UPDATE no action;