import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The transactional outbox and, once published, the producer's event archive. Rows are written
 * in the business transaction and published by the relay in `seq` order per subject.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    // The envelope id of the row's event; a second or later version of an event added with
    // `addVersions` shares the envelope id of the first and has a row id of its own here.
    id: uuid('id').notNull().unique(),
    type: text('type').notNull(),
    version: integer('version').notNull(),
    routingKey: text('routing_key').notNull(),
    subject: text('subject').notNull(),
    envelope: jsonb('envelope').notNull(),
    headers: jsonb('headers').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }),
    lastError: text('last_error'),
  },
  (table) => [
    index('outbox_messages_pending_idx').on(table.seq).where(sql`${table.publishedAt} is null`),
    index('outbox_messages_pending_subject_idx').on(table.subject, table.seq).where(sql`${table.publishedAt} is null`),
    index('outbox_messages_archive_idx').on(table.type, table.publishedAt),
    index('outbox_messages_published_idx').on(table.publishedAt),
  ],
);

/**
 * What each handler has applied. The row commits in the same transaction as the handler's
 * effects, so a redelivered message finds it and is skipped.
 */
export const inboxMessages = pgTable(
  'inbox_messages',
  {
    messageId: uuid('message_id').notNull(),
    handler: text('handler').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.messageId, table.handler] }), index('inbox_messages_received_at_idx').on(table.receivedAt)],
);
