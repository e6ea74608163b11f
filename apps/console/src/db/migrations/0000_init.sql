CREATE TABLE "activities" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"outcome" text NOT NULL,
	"detail" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "logins" (
	"state" text PRIMARY KEY NOT NULL,
	"code_verifier" text NOT NULL,
	"nonce" text NOT NULL,
	"return_to" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parked_messages" (
	"row_id" bigserial PRIMARY KEY NOT NULL,
	"dead_letter_queue" text NOT NULL,
	"message_id" text NOT NULL,
	"queue" text NOT NULL,
	"service" text NOT NULL,
	"event_type" text,
	"routing_key" text,
	"subject" text,
	"correlation_id" text,
	"parked_by" text NOT NULL,
	"fingerprint" text NOT NULL,
	"error_summary" text NOT NULL,
	"attempts" integer,
	"replay_count" integer NOT NULL,
	"failed_at" timestamp (3) with time zone,
	"properties" jsonb NOT NULL,
	"body" text NOT NULL,
	"search_text" text NOT NULL,
	"indexed_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "replays" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"activity_id" integer NOT NULL,
	"message_id" text NOT NULL,
	"dead_letter_queue" text NOT NULL,
	"replay_count" integer NOT NULL,
	"replayed_at" timestamp (3) with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"settled_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "scans" (
	"dead_letter_queue" text PRIMARY KEY NOT NULL,
	"scanned_at" timestamp (3) with time zone NOT NULL,
	"messages" integer NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"name" text,
	"scopes" text NOT NULL,
	"csrf_token" text NOT NULL,
	"id_token" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "activities_at_idx" ON "activities" USING btree ("at");--> statement-breakpoint
CREATE INDEX "parked_messages_queue_idx" ON "parked_messages" USING btree ("dead_letter_queue");--> statement-breakpoint
CREATE INDEX "parked_messages_fingerprint_idx" ON "parked_messages" USING btree ("fingerprint");--> statement-breakpoint
CREATE INDEX "parked_messages_message_id_idx" ON "parked_messages" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "replays_message_id_idx" ON "replays" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "replays_status_idx" ON "replays" USING btree ("status");