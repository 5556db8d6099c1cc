ALTER TABLE "review_items" DROP CONSTRAINT "review_items_grant_id_grants_id_fk";
--> statement-breakpoint
ALTER TABLE "review_items" DROP CONSTRAINT "review_items_credential_id_credentials_id_fk";
--> statement-breakpoint
DROP INDEX "review_items_reviewer_idx";--> statement-breakpoint
DROP INDEX "review_items_grant_uq";--> statement-breakpoint
DROP INDEX "review_items_credential_uq";--> statement-breakpoint
CREATE INDEX "review_items_grant_decided_idx" ON "review_items" USING btree ("grant_id","decided_at") WHERE "review_items"."grant_id" IS NOT NULL AND "review_items"."decision" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "review_items_grant_uq" ON "review_items" USING btree ("campaign_id","grant_id") WHERE "review_items"."grant_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "review_items_credential_uq" ON "review_items" USING btree ("campaign_id","credential_id") WHERE "review_items"."credential_id" IS NOT NULL;