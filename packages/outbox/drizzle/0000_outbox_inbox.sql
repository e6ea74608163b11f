-- Hand-edited after drizzle-kit generate: `IF NOT EXISTS` everywhere. Until the outbox package
-- applied its own migrations, every app's migration 0000_init created these tables; on such a
-- database this migration must find them and change nothing, keeping their rows.
CREATE TABLE IF NOT EXISTS "inbox_messages" (
	"message_id" uuid NOT NULL,
	"handler" text NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_messages_message_id_handler_pk" PRIMARY KEY("message_id","handler")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "outbox_messages" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"routing_key" text NOT NULL,
	"subject" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"headers" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp (3) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone,
	"last_error" text,
	CONSTRAINT "outbox_messages_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "inbox_messages_received_at_idx" ON "inbox_messages" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "outbox_messages_pending_idx" ON "outbox_messages" USING btree ("seq") WHERE "outbox_messages"."published_at" is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "outbox_messages_pending_subject_idx" ON "outbox_messages" USING btree ("subject","seq") WHERE "outbox_messages"."published_at" is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "outbox_messages_archive_idx" ON "outbox_messages" USING btree ("type","published_at");
