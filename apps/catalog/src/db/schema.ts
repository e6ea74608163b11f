import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Only this service's own tables: outbox_messages, inbox_messages and idempotency_keys belong to
// @warren/outbox and @warren/http, which ship and apply their own migrations.

/** Catalog items. `id` is a UUIDv7, so ordering by it is ordering by creation. */
export const items = pgTable('items', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  sku: text('sku').notNull().unique(),
  priceCents: integer('price_cents').notNull(),
  // Items created before categories existed are uncategorised, as their v1 events read as v2.
  category: text('category').notNull().default('uncategorised'),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
});
