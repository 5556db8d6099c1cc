CREATE TABLE "credential_risk" (
	"credential_id" integer PRIMARY KEY NOT NULL,
	"live" boolean NOT NULL,
	"kind" "credential_kind" NOT NULL,
	"issuer_system_id" integer NOT NULL,
	"holder_id" integer NOT NULL,
	"owner_id" integer,
	"department_id" integer,
	"blast_radius" integer DEFAULT 0 NOT NULL,
	"reach_endpoints" integer DEFAULT 0 NOT NULL,
	"reach_bulk" integer DEFAULT 0 NOT NULL,
	"max_records_per_call" integer,
	"data_classes" "data_class"[] DEFAULT '{}'::data_class[] NOT NULL,
	"bulk_pii" boolean DEFAULT false NOT NULL,
	"orphaned" boolean DEFAULT false NOT NULL,
	"leaver_holder" boolean DEFAULT false NOT NULL,
	"no_expiry" boolean DEFAULT false NOT NULL,
	"last_activity_at" timestamp with time zone NOT NULL,
	"rotation_anchor_at" timestamp with time zone,
	"idle_scope_since" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "credential_risk" ADD CONSTRAINT "credential_risk_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credential_risk_blast_idx" ON "credential_risk" USING btree ("blast_radius" DESC NULLS FIRST,"credential_id" DESC NULLS FIRST) WHERE "credential_risk"."live";--> statement-breakpoint
CREATE INDEX "credential_risk_system_blast_idx" ON "credential_risk" USING btree ("issuer_system_id","blast_radius" DESC NULLS FIRST,"credential_id" DESC NULLS FIRST) WHERE "credential_risk"."live";--> statement-breakpoint
CREATE INDEX "credential_risk_owner_idx" ON "credential_risk" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "credential_risk_holder_idx" ON "credential_risk" USING btree ("holder_id");