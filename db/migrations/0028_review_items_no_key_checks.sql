ALTER TABLE "review_items" DROP CONSTRAINT "review_items_campaign_id_review_campaigns_id_fk";
--> statement-breakpoint
ALTER TABLE "review_items" DROP CONSTRAINT "review_items_decided_by_id_identities_id_fk";
--> statement-breakpoint
ALTER TABLE "review_items" DROP CONSTRAINT "review_items_restored_by_id_identities_id_fk";
