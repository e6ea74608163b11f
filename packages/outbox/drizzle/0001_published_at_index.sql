-- Hand-edited after drizzle-kit generate: `IF NOT EXISTS`, since databases migrated before the
-- package owned its tables got this index from the app's migration 0001_published_at_index.
CREATE INDEX IF NOT EXISTS "outbox_messages_published_idx" ON "outbox_messages" USING btree ("published_at");
