-- Edited by hand after it was applied in deployments: the outbox, inbox and idempotency-key tables
-- it used to create now come from their packages' own migrations (packages/outbox/drizzle,
-- packages/http/drizzle), applied before this folder. Databases that already ran this migration
-- are not affected by the edit: drizzle's migrator (drizzle-orm 0.45, pg-core/dialect.js
-- `migrate`) runs only the journal entries whose `when` is newer than the `created_at` of the last
-- row in drizzle.__drizzle_migrations; the stored hash is never compared with the file.
CREATE TABLE "events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"timestamp" timestamp (3) with time zone NOT NULL,
	"source_service" text NOT NULL,
	"subject" text NOT NULL,
	"correlation_id" text,
	"causation_id" text,
	"data" jsonb NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE INDEX "events_type_idx" ON "events" USING btree ("type","seq");--> statement-breakpoint
CREATE INDEX "events_correlation_idx" ON "events" USING btree ("correlation_id","seq");--> statement-breakpoint
CREATE INDEX "events_subject_idx" ON "events" USING btree ("subject","seq");
