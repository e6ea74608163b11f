import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Only this service's own tables: outbox_messages, inbox_messages and idempotency_keys belong to
// @warren/outbox and @warren/http, which ship and apply their own migrations.

/** Stock per catalog item; the row exists once item.created has been applied. */
export const stock = pgTable(
  'stock',
  {
    itemId: uuid('item_id').primaryKey(),
    sku: text('sku').notNull(),
    onHand: integer('on_hand').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [check('stock_on_hand_not_negative', sql`${table.onHand} >= 0`)],
);

/** Every accepted adjustment, with the stock it left behind. */
export const adjustments = pgTable(
  'stock_adjustments',
  {
    id: uuid('id').primaryKey(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => stock.itemId),
    delta: integer('delta').notNull(),
    reason: text('reason').notNull(),
    onHand: integer('on_hand').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [index('stock_adjustments_item_idx').on(table.itemId, table.createdAt)],
);
