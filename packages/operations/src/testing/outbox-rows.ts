import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { OutgoingMessage } from '@warren/messaging';
import { outboxMigrations } from '@warren/outbox';

/** The outbox package's migrations, applied to a test database with drizzle's migrator. */
export async function migrateOutbox(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(client), outboxMigrations);
  } finally {
    await client.end();
  }
}

/** One outbox_messages row as the outbox writes it and the relay updates it. */
export interface OutboxRow {
  message: OutgoingMessage;
  createdAt: Date;
  publishedAt: Date | null;
  attempts?: number;
  lastError?: string | null;
}

/** Inserts rows into a migrated outbox; returns their seqs in order. */
export async function insertOutboxRows(url: string, rows: readonly OutboxRow[]): Promise<number[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const seqs: number[] = [];
    for (const { message, createdAt, publishedAt, attempts = 0, lastError = null } of rows) {
      const { envelope } = message;
      const [row] = await sql<{ seq: string }[]>`
        insert into outbox_messages (id, type, version, routing_key, subject, envelope, headers, created_at, published_at, attempts, last_error)
        values (${envelope.id}, ${envelope.type}, ${envelope.version}, ${message.routingKey}, ${envelope.subject},
                ${sql.json(envelope as never)}, ${sql.json(message.headers as never)}, ${createdAt}, ${publishedAt}, ${attempts}, ${lastError})
        returning seq`;
      seqs.push(Number(row?.seq));
    }
    return seqs;
  } finally {
    await sql.end();
  }
}
