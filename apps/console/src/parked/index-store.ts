import { and, asc, count, desc, eq, gte, ilike, lte, max, min, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '@warren/outbox';
import { parkedMessages, scans } from '../db/schema.ts';
import type { ParkedRecord } from './record.ts';

/** What a group of parked messages is grouped by. */
export type GroupKey = 'fingerprint' | 'eventType' | 'queue' | 'service';
export const groupKeys: readonly GroupKey[] = ['fingerprint', 'eventType', 'queue', 'service'];

export interface ParkedGroup {
  key: string;
  /** One error of the group, to name it (for fingerprints). */
  example: string;
  count: number;
  firstSeen: Date | null;
  lastSeen: Date | null;
}

/** Every given field must match; `text` searches the error and the body (case-insensitive). */
export interface ParkedSearch {
  messageId?: string | undefined;
  correlationId?: string | undefined;
  subject?: string | undefined;
  eventType?: string | undefined;
  queue?: string | undefined;
  deadLetterQueue?: string | undefined;
  fingerprint?: string | undefined;
  service?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  text?: string | undefined;
  limit?: number | undefined;
}

export type IndexedMessage = ParkedRecord & { rowId: number; indexedAt: Date };

const columns: Record<GroupKey, PgColumn> = {
  fingerprint: parkedMessages.fingerprint,
  eventType: parkedMessages.eventType,
  queue: parkedMessages.queue,
  service: parkedMessages.service,
};

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (character) => `\\${character}`);

function where(search: ParkedSearch): SQL | undefined {
  const conditions: (SQL | undefined)[] = [
    search.messageId ? eq(parkedMessages.messageId, search.messageId) : undefined,
    search.correlationId ? eq(parkedMessages.correlationId, search.correlationId) : undefined,
    search.subject ? eq(parkedMessages.subject, search.subject) : undefined,
    search.eventType ? or(eq(parkedMessages.eventType, search.eventType), eq(parkedMessages.routingKey, search.eventType)) : undefined,
    search.queue ? or(eq(parkedMessages.queue, search.queue), eq(parkedMessages.deadLetterQueue, search.queue)) : undefined,
    search.deadLetterQueue ? eq(parkedMessages.deadLetterQueue, search.deadLetterQueue) : undefined,
    search.fingerprint ? eq(parkedMessages.fingerprint, search.fingerprint) : undefined,
    search.service ? eq(parkedMessages.service, search.service) : undefined,
    search.from ? gte(parkedMessages.failedAt, search.from) : undefined,
    search.to ? lte(parkedMessages.failedAt, search.to) : undefined,
    search.text ? ilike(parkedMessages.searchText, `%${escapeLike(search.text)}%`) : undefined,
  ];
  return and(...conditions.filter((condition) => condition !== undefined));
}

/** The console's index of parked messages in its own database. */
export interface IndexStore {
  /** Replaces everything indexed for `deadLetterQueue` with `records`, in one transaction. */
  replaceQueue(deadLetterQueue: string, records: readonly ParkedRecord[], scannedAt?: Date): Promise<void>;
  /** Records that a scan of `deadLetterQueue` failed; its rows stay as they were. */
  scanFailed(deadLetterQueue: string, error: string, at?: Date): Promise<void>;
  /** Groups of the messages matching `search`, largest first. */
  groups(by: GroupKey, search?: ParkedSearch): Promise<ParkedGroup[]>;
  /** Matching messages, newest failure first (at most `limit`, default 100). */
  search(search: ParkedSearch): Promise<IndexedMessage[]>;
  count(search?: ParkedSearch): Promise<number>;
  /** Every indexed copy of a message id (several dead-letter queues, or versions, may hold one). */
  byMessageId(messageId: string): Promise<IndexedMessage[]>;
  lastScans(): Promise<{ deadLetterQueue: string; scannedAt: Date; messages: number; error: string | null }[]>;
}

/** An index store on the console's database. */
export function createIndexStore(db: Database): IndexStore {
  return {
    async replaceQueue(deadLetterQueue, records, scannedAt = new Date()) {
      await db.transaction(async (tx) => {
        await tx.delete(parkedMessages).where(eq(parkedMessages.deadLetterQueue, deadLetterQueue));
        // Chunks keep each statement under PostgreSQL's limit of 65535 bound parameters.
        for (let start = 0; start < records.length; start += 1_000) {
          const rows = records.slice(start, start + 1_000).map((record) => ({
            ...record,
            deadLetterQueue,
            searchText: `${record.errorSummary}\n${record.body}`,
            indexedAt: scannedAt,
          }));
          await tx.insert(parkedMessages).values(rows);
        }
        await tx
          .insert(scans)
          .values({ deadLetterQueue, scannedAt, messages: records.length, error: null })
          .onConflictDoUpdate({ target: scans.deadLetterQueue, set: { scannedAt, messages: records.length, error: null } });
      });
    },
    async scanFailed(deadLetterQueue, error, at = new Date()) {
      await db
        .insert(scans)
        .values({ deadLetterQueue, scannedAt: at, messages: 0, error })
        .onConflictDoUpdate({ target: scans.deadLetterQueue, set: { scannedAt: at, error } });
    },
    async groups(by, search = {}) {
      const column = columns[by];
      const rows = await db
        .select({
          key: sql<string | null>`${column}`,
          example: min(parkedMessages.errorSummary),
          count: count(),
          firstSeen: min(parkedMessages.failedAt),
          lastSeen: max(parkedMessages.failedAt),
        })
        .from(parkedMessages)
        .where(where(search))
        .groupBy(column)
        .orderBy(desc(count()), asc(column));
      return rows.map((row) => ({ key: row.key ?? '(unknown)', example: row.example ?? '', count: row.count, firstSeen: row.firstSeen, lastSeen: row.lastSeen }));
    },
    async search(search) {
      const rows = await db
        .select()
        .from(parkedMessages)
        .where(where(search))
        .orderBy(sql`${parkedMessages.failedAt} desc nulls last`, asc(parkedMessages.rowId))
        .limit(Math.min(search.limit ?? 100, 10_000));
      return rows.map(fromRow);
    },
    async count(search = {}) {
      const [row] = await db.select({ count: count() }).from(parkedMessages).where(where(search));
      return row?.count ?? 0;
    },
    async byMessageId(messageId) {
      return (await db.select().from(parkedMessages).where(eq(parkedMessages.messageId, messageId)).orderBy(asc(parkedMessages.rowId))).map(fromRow);
    },
    async lastScans() {
      return db.select().from(scans).orderBy(asc(scans.deadLetterQueue));
    },
  };
}

function fromRow(row: typeof parkedMessages.$inferSelect): IndexedMessage {
  const { searchText: _searchText, ...rest } = row;
  return { ...rest, parkedBy: row.parkedBy === 'broker' ? 'broker' : 'warren', properties: row.properties as Record<string, unknown> };
}
