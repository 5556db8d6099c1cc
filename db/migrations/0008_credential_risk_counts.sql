CREATE TABLE "credential_risk_counts" (
	"metric" text NOT NULL,
	"day" date NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "credential_risk_counts_metric_day_pk" PRIMARY KEY("metric","day")
);
--> statement-breakpoint
CREATE INDEX "credential_risk_activity_idx" ON "credential_risk" USING btree ("last_activity_at") WHERE "credential_risk"."live";--> statement-breakpoint
CREATE INDEX "credential_risk_idle_scope_idx" ON "credential_risk" USING btree ("idle_scope_since") WHERE "credential_risk"."live";--> statement-breakpoint
CREATE INDEX "credential_risk_rotation_idx" ON "credential_risk" USING btree ("rotation_anchor_at") WHERE "credential_risk"."live";