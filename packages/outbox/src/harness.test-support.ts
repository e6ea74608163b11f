import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql } from 'postgres';
import { itemCreatedV1 } from '@warren/contracts';
import { createEnvelope, type ConsumedMessage } from '@warren/messaging';
import { createTestDatabase } from '@warren/testing';
import type { Database } from './database.ts';
import { outboxMigrations } from './migrations.ts';

/** A fresh, migrated database for one test file, plus a table handlers write to. */
export interface OutboxTestDatabase {
  url: string;
  client: Sql;
  db: Database;
  /** Ends the connections and drops the database. */
  close: () => Promise<void>;
}

/** Creates and migrates a database for the package's own tests. */
export async function openTestDatabase(): Promise<OutboxTestDatabase> {
  const database = await createTestDatabase();
  const client = postgres(database.url, { onnotice: () => {}, max: 10 });
  const db = drizzle(client);
  await migrate(db, outboxMigrations);
  await client`create table if not exists applied (message_id uuid not null, handler text not null, subject text not null, seq serial primary key)`;
  return {
    url: database.url,
    client,
    db,
    close: async () => {
      await client.end();
      await database.drop();
    },
  };
}

/** A delivery of a fresh item.created event; its subject is the item's id unless given. */
export function delivery(subject?: string): ConsumedMessage {
  const id = crypto.randomUUID();
  const envelope = createEnvelope({
    definition: itemCreatedV1,
    sourceService: 'catalog',
    subject: subject ?? id,
    data: { id, name: 'x', sku: `SKU-${id.slice(0, 8)}`, priceCents: 1, createdAt: new Date().toISOString() },
  });
  return { envelope, headers: {}, correlationId: 'c', queue: 'q', routingKey: 'item.created.v1', redelivered: false, attempt: 1 };
}
