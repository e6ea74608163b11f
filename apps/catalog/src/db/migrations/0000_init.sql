-- Edited by hand after it was applied in deployments: the outbox, inbox and idempotency-key tables
-- it used to create now come from their packages' own migrations (packages/outbox/drizzle,
-- packages/http/drizzle), applied before this folder. Databases that already ran this migration
-- are not affected by the edit: drizzle's migrator (drizzle-orm 0.45, pg-core/dialect.js
-- `migrate`) runs only the journal entries whose `when` is newer than the `created_at` of the last
-- row in drizzle.__drizzle_migrations; the stored hash is never compared with the file.
CREATE TABLE "items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"sku" text NOT NULL,
	"price_cents" integer NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "items_sku_unique" UNIQUE("sku")
);
