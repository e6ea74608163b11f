-- Edited by hand after it was applied in deployments: the outbox, inbox and idempotency-key tables
-- it used to create now come from their packages' own migrations (packages/outbox/drizzle,
-- packages/http/drizzle), applied before this folder. Databases that already ran this migration
-- are not affected by the edit: drizzle's migrator (drizzle-orm 0.45, pg-core/dialect.js
-- `migrate`) runs only the journal entries whose `when` is newer than the `created_at` of the last
-- row in drizzle.__drizzle_migrations; the stored hash is never compared with the file.
CREATE TABLE "stock_adjustments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"delta" integer NOT NULL,
	"reason" text NOT NULL,
	"on_hand" integer NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stock" (
	"item_id" uuid PRIMARY KEY NOT NULL,
	"sku" text NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_on_hand_not_negative" CHECK ("stock"."on_hand" >= 0)
);
--> statement-breakpoint
ALTER TABLE "stock_adjustments" ADD CONSTRAINT "stock_adjustments_item_id_stock_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."stock"("item_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stock_adjustments_item_idx" ON "stock_adjustments" USING btree ("item_id","created_at");
