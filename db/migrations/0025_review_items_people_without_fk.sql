ALTER TABLE "review_items" DROP CONSTRAINT "review_items_reviewer_id_identities_id_fk";
--> statement-breakpoint
ALTER TABLE "review_items" DROP CONSTRAINT "review_items_subject_id_identities_id_fk";
