import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Only this service's own tables: outbox_messages, inbox_messages and idempotency_keys belong to
// @warren/outbox and @warren/http, which ship and apply their own migrations.

/** The append-only event log: one row per event applied, never per delivery. */
export const events = pgTable(
  'events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    type: text('type').notNull(),
    version: integer('version').notNull(),
    timestamp: timestamp('timestamp', { withTimezone: true, precision: 3 }).notNull(),
    sourceService: text('source_service').notNull(),
    subject: text('subject').notNull(),
    correlationId: text('correlation_id'),
    causationId: text('causation_id'),
    /** The subject of the caller whose write caused the event (`metadata.actor`). */
    actor: text('actor'),
    data: jsonb('data').notNull(),
    /**
     * The envelope as received, `data` aside (it has its own column): fields a newer producer added
     * that this version of audit does not know are kept here, not lost. Null on rows logged before
     * it was kept.
     */
    envelope: jsonb('envelope'),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }).notNull().default(sql`clock_timestamp()`),
  },
  (table) => [
    index('events_type_idx').on(table.type, table.seq),
    index('events_correlation_idx').on(table.correlationId, table.seq),
    index('events_subject_idx').on(table.subject, table.seq),
  ],
);
