import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * The index of parked messages: one row per message in a dead-letter queue at the last scan of
 * that queue. A scan replaces a queue's rows in one transaction, so the index never mixes two
 * scans of one queue. The broker stays the truth; actions re-read it before they move anything.
 */
export const parkedMessages = pgTable(
  'parked_messages',
  {
    rowId: bigserial('row_id', { mode: 'number' }).primaryKey(),
    deadLetterQueue: text('dead_letter_queue').notNull(),
    messageId: text('message_id').notNull(),
    queue: text('queue').notNull(),
    service: text('service').notNull(),
    eventType: text('event_type'),
    routingKey: text('routing_key'),
    subject: text('subject'),
    correlationId: text('correlation_id'),
    parkedBy: text('parked_by').notNull(),
    fingerprint: text('fingerprint').notNull(),
    errorSummary: text('error_summary').notNull(),
    attempts: integer('attempts'),
    replayCount: integer('replay_count').notNull(),
    failedAt: at('failed_at'),
    properties: jsonb('properties').notNull(),
    body: text('body').notNull(),
    searchText: text('search_text').notNull(),
    indexedAt: at('indexed_at').notNull(),
  },
  (table) => [
    index('parked_messages_queue_idx').on(table.deadLetterQueue),
    index('parked_messages_fingerprint_idx').on(table.fingerprint),
    index('parked_messages_message_id_idx').on(table.messageId),
  ],
);

/** When each dead-letter queue was last scanned, and what the scan found. */
export const scans = pgTable('scans', {
  deadLetterQueue: text('dead_letter_queue').primaryKey(),
  scannedAt: at('scanned_at').notNull(),
  messages: integer('messages').notNull(),
  error: text('error'),
});

/** Every operator action: who, when, what, on which messages, and how it ended. */
export const activities = pgTable(
  'activities',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: at('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target').notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    outcome: text('outcome').notNull(),
    detail: jsonb('detail').notNull(),
  },
  (table) => [index('activities_at_idx').on(table.at)],
);

/**
 * One message a retry sent back, followed until it is known to be applied (left the queues and
 * not back within the retry window) or failed again (back in a dead-letter queue with a higher
 * replay count).
 */
export const replays = pgTable(
  'replays',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    activityId: integer('activity_id').notNull(),
    messageId: text('message_id').notNull(),
    deadLetterQueue: text('dead_letter_queue').notNull(),
    replayCount: integer('replay_count').notNull(),
    replayedAt: at('replayed_at').notNull(),
    status: text('status').notNull().default('pending'),
    settledAt: at('settled_at'),
  },
  (table) => [index('replays_message_id_idx').on(table.messageId), index('replays_status_idx').on(table.status)],
);

/** Browser sessions of the backend-for-frontend: tokens stay here, the cookie holds only the id. */
export const sessions = pgTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  subject: text('subject').notNull(),
  name: text('name'),
  scopes: text('scopes').notNull(),
  csrfToken: text('csrf_token').notNull(),
  idToken: text('id_token'),
  createdAt: at('created_at').notNull().defaultNow(),
  expiresAt: at('expires_at').notNull(),
});

/** A login in progress: the PKCE verifier, state and nonce of one authorization request. */
export const logins = pgTable('logins', {
  state: text('state').primaryKey(),
  codeVerifier: text('code_verifier').notNull(),
  nonce: text('nonce').notNull(),
  returnTo: text('return_to').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
});
