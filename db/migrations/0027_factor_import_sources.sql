ALTER TABLE "authenticators" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "authenticators" ADD COLUMN "source_key" text;--> statement-breakpoint
ALTER TABLE "authenticators" ADD COLUMN "source_method" text;--> statement-breakpoint
CREATE UNIQUE INDEX "authenticators_source_key_uq" ON "authenticators" USING btree ("identity_id","source","source_key","usage") WHERE "authenticators"."source" IS NOT NULL AND "authenticators"."status" = 'active';--> statement-breakpoint
ALTER TABLE "authenticators" ADD CONSTRAINT "authenticators_source_has_key" CHECK ("authenticators"."source" IS NULL OR "authenticators"."source_key" IS NOT NULL);