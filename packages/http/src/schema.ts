import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per (caller, Idempotency-Key): claimed `in_flight` under a lease, then `completed`
 * with the stored response in the same transaction as the write it answers. Created by this
 * package's own migrations (`httpMigrations`), which services apply before theirs.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    caller: text('caller').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    /** sha256 hex of method, path and body: the same key must come with the same request. */
    fingerprint: text('fingerprint').notNull(),
    state: text('state', { enum: ['in_flight', 'completed'] }).notNull(),
    /** Whoever holds this token owns the key; a takeover changes it so the old owner cannot complete. */
    leaseToken: uuid('lease_token').notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }).notNull(),
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [table.caller, table.key] }),
    index('idempotency_keys_created_at_idx').on(table.createdAt),
    check('idempotency_keys_state_check', sql`${table.state} in ('in_flight', 'completed')`),
  ],
);

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
